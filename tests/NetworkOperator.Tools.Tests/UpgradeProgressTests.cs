using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// The demo's picture of a driver upgrade, kept from two watches: a node counts as upgraded only while it is
/// upgrade-done on a ready driver pod of the new version, and the cordon peak is the most nodes cordoned at once.
/// </summary>
public sealed class UpgradeProgressTests
{
    private const string Ns = "nvidia-network-operator";

    [Fact]
    public async Task Upgraded_nodes_cordons_and_their_peak_follow_node_and_pod_events()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 3, SyntheticNodes = { CpuOnlyShare = 0 } });
        using var client = cluster.CreateClient();
        var (a, b, c) = (cluster.NodeNames[0], cluster.NodeNames[1], cluster.NodeNames[2]);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        foreach (var node in cluster.NodeNames)
        {
            await DriverPodAsync(client, "old-" + node, node, "doca-driver:1.0");
        }

        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedPodAsync(Ns)).Items.All(p => p.Status?.ContainerStatuses?.All(s => s.Ready) == true),
            "old driver pods ready");
        await using var progress = await UpgradeProgress.StartAsync(client, Ns, "2.0", timed: 3, CancellationToken.None);
        Assert.Equal([a, b, c], progress.DriverNodes.Order(StringComparer.Ordinal));
        Assert.Equal(0, progress.View().Upgraded);

        await NodeAsync(client, a, "drain-required", cordon: true);
        await NodeAsync(client, b, "drain-required", cordon: true);
        await NodeAsync(client, a, "upgrade-done", cordon: false);
        await Eventually.TrueAsync(() => Task.FromResult(progress.View() is { Cordoned: [var only] } view && only == b && view.MaxCordoned == 2
            && view.NodesByState.GetValueOrDefault(UpgradeProgress.OldDriver) == 1), "a done on its old driver, b cordoned, peak 2");
        Assert.Equal(0, progress.View().Upgraded);

        await client.CoreV1.DeleteNamespacedPodAsync("old-" + a, Ns, new V1DeleteOptions { GracePeriodSeconds = 0 });
        await DriverPodAsync(client, "new-" + a, a, "doca-driver:2.0");
        await Eventually.TrueAsync(() => Task.FromResult(progress.View().Upgraded == 1), "a upgraded on a ready new driver pod");
        Assert.Single(progress.UpgradedAt);

        // The new pod going away takes the node out of the upgraded count again; the peak stays the peak.
        await client.CoreV1.DeleteNamespacedPodAsync("new-" + a, Ns, new V1DeleteOptions { GracePeriodSeconds = 0 });
        await NodeAsync(client, b, "upgrade-done", cordon: false);
        await Eventually.TrueAsync(() => Task.FromResult(progress.View() is { Upgraded: 0, Cordoned: [], MaxCordoned: 2 } view
            && view.NodesByState.GetValueOrDefault(UpgradeProgress.OldDriver) == 2), "nothing upgraded, nothing cordoned");
    }

    private static Task<V1Pod> DriverPodAsync(Kubernetes client, string name, string node, string image) =>
        client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [Labels.OfedDriver] = "" } },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "driver", Image = "nvcr.io/nvidia/mellanox/" + image }] },
        }, Ns);

    private static Task<V1Node> NodeAsync(Kubernetes client, string node, string state, bool cordon) =>
        client.CoreV1.PatchNodeAsync(new V1Patch(
            $$$"""{"metadata":{"labels":{"{{{Labels.UpgradeState}}}":"{{{state}}}"}},"spec":{"unschedulable":{{{(cordon ? "true" : "null")}}}}}""",
            V1Patch.PatchType.MergePatch), node);
}
