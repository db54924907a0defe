using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// The wait-label controller works per node: a driver pod's events reach the node it runs on, and that node's labels
/// follow its driver while the other nodes' stay as they are.
/// </summary>
public sealed class WaitLabelTests
{
    private const string Policy = OperatorFixture.DriverOnlyPolicy;

    private static readonly string[] Workers = ["worker-1", "worker-2", "worker-3"];

    [Fact]
    public async Task A_node_whose_driver_restarts_waits_alone_until_its_new_driver_is_ready()
    {
        // Pods take a while to start, so the restarted driver's not-ready spell can be seen.
        await using var fx = await OperatorFixture.StartAsync(kubeletDelay: TimeSpan.FromSeconds(2));
        foreach (var worker in Workers)
        {
            await fx.AddNodeAsync(TestNodes.Joined(worker));
        }

        await fx.ApplyYamlAsync(Policy);
        await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]
            ?.GetValue<string>() == "ready", "policy ready: a driver runs on every node");
        await Eventually.TrueAsync(async () => (await WaitLabelsAsync(fx)).Values.All(v => v == ("false", "false")),
            "every NIC node released once its driver is ready (and no NIC configuration operator holds them)");

        var pod = (await fx.Client.CoreV1.ListNamespacedPodAsync(OperatorFixture.Namespace, labelSelector: Labels.OfedDriver)).Items
            .Single(p => p.Spec.NodeName == "worker-2");
        await fx.Client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, OperatorFixture.Namespace, new V1DeleteOptions { GracePeriodSeconds = 0 });

        await Eventually.TrueAsync(async () => (await WaitLabelsAsync(fx))["worker-2"].Mofed == "true", "worker-2 waits for its new driver");
        var during = await WaitLabelsAsync(fx);
        Assert.Equal("false", during["worker-1"].Mofed);
        Assert.Equal("false", during["worker-3"].Mofed);

        await Eventually.TrueAsync(async () => (await WaitLabelsAsync(fx))["worker-2"].Mofed == "false", "worker-2 released again");
    }

    private static async Task<Dictionary<string, (string? Mofed, string? NicConfiguration)>> WaitLabelsAsync(OperatorFixture fx) =>
        (await fx.Client.CoreV1.ListNodeAsync()).Items.ToDictionary(n => n.Metadata.Name, n => (
            n.Metadata.Labels?.TryGetValue(Labels.MofedWait, out var mofed) == true ? mofed : null,
            n.Metadata.Labels?.TryGetValue(Labels.NicConfigurationWait, out var nic) == true ? nic : null));
}
