using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// OFED driver pools follow the nodes' facts on a running cluster: NFD labels arriving late, a kernel change
/// and an untolerated taint each change the set of driver DaemonSets, and the kubelets bring the pools to ready.
/// </summary>
public sealed class DriverPoolTests
{
    private const string Policy = OperatorFixture.DriverOnlyPolicy;

    private const string KernelA = "5.15.0-91-generic";
    private const string KernelB = "5.15.0-105-generic";
    private const string KernelC = "6.8.0-31-generic";

    private static string PoolName(string kernel) => $"mofed-ubuntu22.04-{ShortHash.Compute(kernel)}-ds";

    private static List<string> Pools(params string[] kernels) => [.. kernels.Select(PoolName).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> PoolsAsync(OperatorFixture fx) =>
        [.. (await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}")).Select(d => d.Metadata.Name)];

    private static async Task<JsonObject?> PolicyAsync(OperatorFixture fx) => await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName);

    private static async Task<bool> ReadyAsync(OperatorFixture fx) => (await PolicyAsync(fx))?["status"]?["state"]?.GetValue<string>() == "ready";

    private static async Task TaintAsync(OperatorFixture fx, string node, string taintsJson) =>
        await fx.Client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"taints\":" + taintsJson + "}}", V1Patch.PatchType.MergePatch), node);

    [Fact]
    public async Task Pools_appear_when_NFD_labels_arrive_and_follow_kernel_changes_and_taints()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.AddNodeAsync(TestNodes.Joined("worker-1", nfd: false));
        await fx.AddNodeAsync(TestNodes.Joined("worker-2", nfd: false));
        await fx.ApplyYamlAsync(Policy);

        // Before NFD has run no node is known to carry a NIC: the driver state reports, but renders no pool.
        await Eventually.TrueAsync(async () => (await PolicyAsync(fx))?["status"]?["appliedStates"]?.AsArray()
            .Any(s => s?["name"]?.GetValue<string>() == StateNames.Ofed) == true, "driver state reported");
        Assert.Empty(await PoolsAsync(fx));

        // NFD labels the nodes: one pool per OS/kernel, each pinned to its kernel, brought up by the kubelets.
        await fx.LabelNodeAsync("worker-1", TestNodes.NfdLabels(kernel: KernelA));
        await fx.LabelNodeAsync("worker-2", TestNodes.NfdLabels(kernel: KernelB));
        await Eventually.TrueAsync(async () => (await PoolsAsync(fx)).SequenceEqual(Pools(KernelA, KernelB)),
            "one driver DaemonSet per kernel");
        foreach (var ds in await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}"))
        {
            var kernel = ds.Metadata.Name == PoolName(KernelA) ? KernelA : KernelB;
            Assert.Equal(kernel, ds.Spec.Template.Spec.NodeSelector[Labels.KernelVersionFull]);
        }

        await Eventually.TrueAsync(() => ReadyAsync(fx), "policy ready once both driver pods run");

        // worker-2 boots another kernel: its old pool goes, a new one comes, and the policy converges again.
        await fx.LabelNodeAsync("worker-2", new Dictionary<string, string?> { [Labels.KernelVersionFull] = KernelC });
        await Eventually.TrueAsync(async () => (await PoolsAsync(fx)).SequenceEqual(Pools(KernelA, KernelC)),
            "worker-2's pool follows its new kernel");
        await Eventually.TrueAsync(async () => await ReadyAsync(fx)
            && (await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}")).All(d => d.Status?.NumberAvailable == 1), "ready on the new kernel");

        // An untolerated taint takes worker-2 out of the driver pools: the pool it alone made up is removed.
        await TaintAsync(fx, "worker-2", """[{"key":"example.com/maintenance","value":"true","effect":"NoSchedule"}]""");
        await Eventually.TrueAsync(async () => (await PoolsAsync(fx)).SequenceEqual(Pools(KernelA)), "tainted node's pool removed");
        await Eventually.TrueAsync(() => ReadyAsync(fx), "ready with the remaining pool");

        // The taint lifted: the pool is back.
        await TaintAsync(fx, "worker-2", "null");
        await Eventually.TrueAsync(async () => (await PoolsAsync(fx)).SequenceEqual(Pools(KernelA, KernelC)),
            "pool restored once the taint is gone");
    }
}
