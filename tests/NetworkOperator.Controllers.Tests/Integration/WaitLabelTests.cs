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

    [Fact]
    public async Task A_driver_policy_applied_after_the_inbox_release_keeps_the_device_plugin_off_until_the_driver_is_ready()
    {
        await using var fx = await OperatorFixture.StartAsync();
        foreach (var worker in Workers)
        {
            // NIC nodes whose OS and kernel NFD has not labelled yet: the driver has no pool for them until it does.
            await fx.AddNodeAsync(TestNodes.Joined(worker, nfd: false));
            await fx.LabelNodeAsync(worker, new Dictionary<string, string?> { [Labels.NicPresent] = "true" });
        }

        // No policy yet: every NIC node is released for the inbox driver.
        await Eventually.TrueAsync(async () => (await WaitLabelsAsync(fx)).Values.All(v => v.Mofed == "false"), "NIC nodes released for the inbox driver");
        var podCreates = fx.Cluster.Counters.PodsCreated;
        var podDeletes = fx.Cluster.Counters.PodsDeleted;

        await fx.ApplyYamlAsync(DriverAndDevicePluginPolicy);
        await Eventually.TrueAsync(async () => await DevicePluginAsync(fx) is { Status.ObservedGeneration: not null } ds
            && ds.Status.ObservedGeneration == ds.Metadata.Generation, "the device plugin's DaemonSet is created and synced");

        // The driver is coming to these nodes: they are held, and the device plugin targets none of them.
        Assert.All((await WaitLabelsAsync(fx)).Values, v => Assert.Equal("true", v.Mofed));
        Assert.Equal(0, (await DevicePluginAsync(fx))!.Status.DesiredNumberScheduled);

        foreach (var worker in Workers)
        {
            await fx.LabelNodeAsync(worker, TestNodes.NfdLabels());
        }

        await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]
            ?.GetValue<string>() == "ready", "policy ready: driver and device plugin on every node");

        // One driver pod and one device plugin pod per node, none removed: the device plugin never started against the
        // inbox driver only to be taken away when the driver pod arrived.
        var pods = (await fx.Client.CoreV1.ListNamespacedPodAsync(OperatorFixture.Namespace)).Items;
        Assert.Equal(Workers.Length, pods.Count(p => p.Metadata.Name.StartsWith("rdma-shared-dp-ds", StringComparison.Ordinal)));
        Assert.Equal(2 * Workers.Length, fx.Cluster.Counters.PodsCreated - podCreates);
        Assert.Equal(0, fx.Cluster.Counters.PodsDeleted - podDeletes);
        Assert.All((await WaitLabelsAsync(fx)).Values, v => Assert.Equal("false", v.Mofed));
    }

    private static async Task<V1DaemonSet?> DevicePluginAsync(OperatorFixture fx) =>
        (await fx.DaemonSetsAsync()).SingleOrDefault(d => d.Metadata.Name.StartsWith("rdma-shared-dp-ds", StringComparison.Ordinal));

    private const string DriverAndDevicePluginPolicy = OperatorFixture.DriverOnlyPolicy + """

          rdmaSharedDevicePlugin:
            image: k8s-rdma-shared-dev-plugin
            repository: nvcr.io/nvidia/mellanox
            version: network-operator-v25.7.0
            config: '{"configList":[{"resourceName":"rdma_shared_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}'
        """;

    private static async Task<Dictionary<string, (string? Mofed, string? NicConfiguration)>> WaitLabelsAsync(OperatorFixture fx) =>
        (await fx.Client.CoreV1.ListNodeAsync()).Items.ToDictionary(n => n.Metadata.Name, n => (
            n.Metadata.Labels?.TryGetValue(Labels.MofedWait, out var mofed) == true ? mofed : null,
            n.Metadata.Labels?.TryGetValue(Labels.NicConfigurationWait, out var nic) == true ? nic : null));
}
