using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// Maintenance-operator mode end to end, switched on by the same environment variables as upstream: the
/// operator asks for each node through a NodeMaintenance and never cordons or drains by itself; a stand-in maintenance
/// operator (<see cref="MaintenanceOperatorStandIn"/>, another operator, not part of the API server) does the cordon
/// and the evictions at its own parallelism and uncordons when the object is deleted.
/// </summary>
public sealed class MaintenanceModeOnSimulatedClusterTests
{
    private const string Requestor = "nvidia.doca-driver-upgrade";
    private const string NewVersion = "25.07-0.9.7.0-0";

    [Fact]
    public async Task Upgrade_goes_through_node_maintenance_objects_and_the_maintenance_operator_does_cordon_and_drain()
    {
        const int nodeCount = 6;
        await using var cluster = await UpgradeCluster.StartAsync(nodeCount);
        await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(MaintenanceOperatorStandIn.Crd());
        await cluster.CreateDeploymentAsync("web", nodeCount);
        await cluster.CreateBudgetAsync("web-pdb", "web", minAvailable: nodeCount - 2);
        await Eventually.TrueAsync(async () => (await cluster.RunningPodsAsync("web")).Count == nodeCount, "web pods running");
        await using var maintenanceOperator = new MaintenanceOperatorStandIn(cluster.Client, "default", maxParallel: 2);
        maintenanceOperator.Start();

        cluster.Environment = OperatorEnvironment.Read(name => name switch
        {
            "MAINTENANCE_OPERATOR_ENABLED" => "true",
            "MAINTENANCE_OPERATOR_REQUESTOR_ID" => Requestor,
            "MAINTENANCE_OPERATOR_REQUESTOR_NAMESPACE" => "default",
            "MAINTENANCE_OPERATOR_NODE_MAINTENANCE_PREFIX" => "network-operator",
            _ => null,
        });
        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync("25.04-0.6.1.0-2", new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 1, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 60, Force = true },
        });
        await Eventually.TrueAsync(async () => (await cluster.StatesAsync()).Values.All(s => s == UpgradeStates.UpgradeDone), "initially done", Eventually.LongTimeout);

        await using var watch = await CordonWatch.StartAsync(cluster.Client);
        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(NewVersion)).Count == nodeCount, "every node upgraded", Eventually.LongTimeout);
        await Eventually.TrueAsync(async () => (await cluster.Client.CoreV1.ListNodeAsync()).Items.All(n => n.Spec?.Unschedulable != true),
            "every node given back by the maintenance operator");

        // One NodeMaintenance per node, named <prefix>-<node>, carrying the requestor and the policy's drain settings.
        Assert.Equal(cluster.Cluster.NodeNames.Select(n => "network-operator-" + n).Order(StringComparer.Ordinal),
            maintenanceOperator.SpecsSeen.Keys.Order(StringComparer.Ordinal));
        var spec = maintenanceOperator.SpecsSeen["network-operator-" + cluster.Cluster.NodeNames[0]];
        Assert.Equal(Requestor, spec["requestorID"]!.GetValue<string>());
        Assert.Equal(cluster.Cluster.NodeNames[0], spec["nodeName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"force":true,"podSelector":"{{Labels.DrainSkipSelector}}","timeoutSeconds":60,"deleteEmptyDir":false}
            """), spec["drainSpec"]), spec.ToJsonString());

        // Released at the end: no NodeMaintenance left, no requestor-mode annotation left.
        var left = await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version, "default",
            NodeMaintenanceInfo.Plural);
        Assert.Empty(JsonNode.Parse(KubernetesJson.Serialize(left))!["items"]!.AsArray());
        Assert.All((await cluster.Client.CoreV1.ListNodeAsync()).Items,
            n => Assert.False(n.Metadata.Annotations?.ContainsKey(Annotations.UpgradeRequestorMode) == true));

        // The operator never cordoned or drained: no in-place states, no drains of its own; the maintenance operator's
        // parallelism (2), not maxParallelUpgrades (1), bounded the cordoned nodes.
        var states = watch.StatesSeen;
        Assert.Contains(UpgradeStates.NodeMaintenanceRequired, states);
        Assert.DoesNotContain(UpgradeStates.CordonRequired, states);
        Assert.DoesNotContain(UpgradeStates.DrainRequired, states);
        Assert.InRange(watch.MaxCordoned, 1, 2);
        Assert.Equal(2, maintenanceOperator.MaxHeld);
        Assert.True(maintenanceOperator.Evictions >= 1, "the maintenance operator evicted the workloads");
        Assert.Equal(0, cluster.Cluster.Server.Requests.Get("delete", "pods", "default"));
    }

    [Fact]
    public async Task Without_the_node_maintenance_crd_the_upgrade_stalls_instead_of_draining_by_itself()
    {
        await using var cluster = await UpgradeCluster.StartAsync(2);
        cluster.Environment = new OperatorEnvironment { MaintenanceOperatorEnabled = true };
        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync("25.04-0.6.1.0-2", new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 2, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 60 },
        });
        await Eventually.TrueAsync(async () => (await cluster.PolicyAsync())?.Status?.Upgrade?.BlockedNodes is { Count: > 0 } blocked
            && blocked.Any(b => b.Reason?.Contains("nodemaintenances.maintenance.nvidia.com", StringComparison.Ordinal) == true),
            "status.upgrade names the missing NodeMaintenance API", Eventually.LongTimeout);

        var reconciles = cluster.Reconciles("upgrade");
        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");
        // The stalled upgrade requeues itself (300 ms here): after several passes it still has not drained anything.
        await Eventually.TrueAsync(() => cluster.Reconciles("upgrade") >= reconciles + 6, "six more upgrade reconciles");
        Assert.All((await cluster.Client.CoreV1.ListNodeAsync()).Items, n => Assert.NotEqual(true, n.Spec?.Unschedulable));
        Assert.Equal(0, cluster.Cluster.Server.Requests.Get("create", "pods/eviction", "default"));
    }
}
