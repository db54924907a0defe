using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Upgrade;
using Xunit.Abstractions;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// The driver upgrade end to end: the whole operator (in-process <see cref="Hosting.OperatorHost"/>) renders the OFED
/// DaemonSets on a <see cref="Simulator.Cluster.SimulatedCluster"/>, whose own DaemonSet controller (OnDelete,
/// ControllerRevisions, <c>controller-revision-hash</c>), scheduler, kubelets, Deployment controller and Eviction API
/// with PodDisruptionBudgets do the rest; the test only bumps the driver version and watches.
/// </summary>
public sealed class UpgradeOnSimulatedClusterTests(ITestOutputHelper output)
{
    private const string OldVersion = "25.04-0.6.1.0-2";
    private const string NewVersion = "25.07-0.9.7.0-0";

    [Fact]
    public async Task Upgrade_of_50_nodes_keeps_at_most_5_cordoned_evicts_through_the_api_and_resumes_after_a_restart()
    {
        const int nodeCount = 50;
        await using var cluster = await UpgradeCluster.StartAsync(nodeCount);
        await cluster.CreateDeploymentAsync("web", nodeCount);
        await cluster.CreateBudgetAsync("web-pdb", "web", minAvailable: nodeCount - 5);
        await Eventually.TrueAsync(async () => (await cluster.RunningPodsAsync("web")).Count == nodeCount, "web pods running");

        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync(OldVersion, new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 5, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 120 },
        });
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(OldVersion)).Count == nodeCount,
            "every node upgrade-done with the first driver", Eventually.LongTimeout);

        await using var cordons = await CordonWatch.StartAsync(cluster.Client);
        await using var departures = await PodDepartureLog.StartAsync(cluster.Client, "default");
        cluster.Cluster.Server.Requests.Reset();
        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");

        // Kill the operator once a dozen nodes are through, then start a new one.
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(NewVersion)).Count >= 12,
            "a dozen nodes upgraded before the restart", Eventually.LongTimeout);
        await cluster.StopOperatorAsync();
        var finishedBeforeRestart = await cluster.NodesDoneWithAsync(NewVersion);
        var departuresBeforeRestart = departures.PerNode();
        var startsBeforeRestart = await cluster.NodeEventsAsync("UpgradeRequired");

        await cluster.StartOperatorAsync();
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(NewVersion)).Count == nodeCount,
            "every node upgraded after the restart", Eventually.LongTimeout);
        await Eventually.TrueAsync(async () =>
            (await cluster.PolicyAsync())?.Status?.Upgrade?.NodeCountsByState is { } counts && counts.Count == 1
            && counts.GetValueOrDefault(UpgradeStates.UpgradeDone) == nodeCount, "status.upgrade counts every node done");

        var requests = cluster.Cluster.Server.Requests;
        output.WriteLine($"most cordoned at once: {cordons.MaxCordoned} over {cordons.Events} node events; finished before the restart: " +
            $"{finishedBeforeRestart.Count}; evictions: {requests.Get("create", "pods/eviction", "default")}; driver pods deleted: " +
            $"{requests.Get("delete", "pods", UpgradeCluster.Namespace)}; departures per node: {string.Join(",", departures.PerNode().Values)}");
        var nodes = (await cluster.Client.CoreV1.ListNodeAsync()).Items;
        Assert.All(nodes, n => Assert.NotEqual(true, n.Spec?.Unschedulable));
        Assert.InRange(cordons.MaxCordoned, 1, 5);

        // Workload pods left only through the Eviction API: no DELETE of a pod outside the operator namespace, and
        // every node's web pods were evicted at least once.
        Assert.Equal(0, requests.Get("delete", "pods", "default"));
        Assert.Equal(0, requests.Get("deletecollection", "pods", "default"));
        Assert.True(requests.Get("create", "pods/eviction", "default") >= nodeCount,
            $"expected at least one eviction per node, saw {requests.Get("create", "pods/eviction", "default")}");
        Assert.InRange(requests.Get("delete", "pods", UpgradeCluster.Namespace), nodeCount, 2 * nodeCount);

        // The nodes that had finished before the restart were not drained again.
        var departuresAfter = departures.PerNode();
        var startsAfter = await cluster.NodeEventsAsync("UpgradeRequired");
        Assert.NotEmpty(finishedBeforeRestart);
        foreach (var node in finishedBeforeRestart)
        {
            Assert.Equal(departuresBeforeRestart.GetValueOrDefault(node), departuresAfter.GetValueOrDefault(node));
            Assert.Equal(startsBeforeRestart.GetValueOrDefault(node), startsAfter.GetValueOrDefault(node));
            Assert.Equal(1, startsAfter.GetValueOrDefault(node));
        }

        // A node's whole upgrade is two Normal Events on it (started, done), across the restart too; none on the policy.
        var operatorEvents = (await cluster.Client.CoreV1.ListEventForAllNamespacesAsync()).Items
            .Where(e => e.Source?.Component == "network-operator" && e.Type == "Normal").ToList();
        Assert.All(nodes, n => Assert.Equal(2, operatorEvents.Where(e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == n.Metadata.Name)
            .Sum(e => e.Count ?? 1)));
        Assert.DoesNotContain(operatorEvents, e => e.InvolvedObject.Kind == "NicClusterPolicy" && e.Reason.StartsWith("Upgrade", StringComparison.Ordinal));

        // The web Deployment survived with its pods rescheduled on upgraded nodes.
        await Eventually.TrueAsync(async () => (await cluster.RunningPodsAsync("web")).Count == nodeCount, "web pods all running again");
    }

    [Fact]
    public async Task One_at_a_time_the_next_node_starts_when_the_previous_is_done_without_waiting_for_the_periodic_pass()
    {
        const int nodeCount = 3;
        await using var cluster = await UpgradeCluster.StartAsync(nodeCount);
        cluster.RequeueInterval = TimeSpan.FromMinutes(10);
        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync(OldVersion, new DriverUpgradePolicySpec { AutoUpgrade = true, MaxParallelUpgrades = 1 });
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(OldVersion)).Count == nodeCount,
            "every node upgrade-done with the first driver", Eventually.LongTimeout);

        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");

        // The pass that marks a node done is woken by its new driver pod; its own node write is assumed into the cache
        // and wakes nothing, so the next node starts on an event that follows it (the driver DaemonSet's or the policy's
        // status change), never on the 10-minute periodic pass.
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(NewVersion)).Count == nodeCount,
            "every node upgraded, one after the other", Eventually.LongTimeout);
    }

    [Fact]
    public async Task Node_whose_budget_never_allows_eviction_fails_after_the_drain_timeout_naming_the_pod_and_auto_upgrade_off_cleans_up()
    {
        await using var cluster = await UpgradeCluster.StartAsync(3);
        var blocked = cluster.Cluster.NodeNames[1];
        await cluster.CreateDeploymentAsync("stuck", 1, node: blocked);
        await cluster.CreateBudgetAsync("stuck-pdb", "stuck", maxUnavailable: 0);
        await Eventually.TrueAsync(async () => (await cluster.RunningPodsAsync("stuck")).Count == 1, "stuck pod running");
        var stuckPod = (await cluster.RunningPodsAsync("stuck")).Single().Metadata.Name;

        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync(OldVersion, new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 3, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 3 },
        });
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(OldVersion)).Count == 3, "initially done", Eventually.LongTimeout);

        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");
        await Eventually.TrueAsync(async () =>
            (await cluster.StatesAsync())[blocked] == UpgradeStates.UpgradeFailed && (await cluster.NodesDoneWithAsync(NewVersion)).Count == 2,
            "the blocked node failed and the others upgraded", Eventually.LongTimeout);
        await Eventually.TrueAsync(async () => (await cluster.PolicyAsync())?.Status?.Upgrade?.FailedNodes is { Count: 1 },
            "failed node in status.upgrade");

        var expectedBlocker = $"eviction of pod default/{stuckPod} blocked by PodDisruptionBudget stuck-pdb";
        var upgrade = (await cluster.PolicyAsync())!.Status!.Upgrade!;
        var failed = Assert.Single(upgrade.FailedNodes!);
        Assert.Equal(blocked, failed.Name);
        Assert.Contains("within 3s", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(expectedBlocker, failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, upgrade.NodeCountsByState![UpgradeStates.UpgradeFailed]);

        var events = (await cluster.Client.CoreV1.ListEventForAllNamespacesAsync()).Items;
        Assert.Contains(events, e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == blocked && e.Reason == "DrainBlocked"
            && e.Message == expectedBlocker);
        Assert.Contains(events, e => e.InvolvedObject.Kind == "NicClusterPolicy" && e.Reason == "UpgradeFailed" && e.Type == "Warning"
            && e.Message.Contains(blocked, StringComparison.Ordinal) && e.Message.Contains(expectedBlocker, StringComparison.Ordinal));

        // The pod is still there, the node still cordoned (upgrade-failed waits for a person), and nothing was deleted directly.
        Assert.Equal(stuckPod, (await cluster.RunningPodsAsync("stuck")).Single().Metadata.Name);
        Assert.True((await cluster.Client.CoreV1.ReadNodeAsync(blocked)).Spec.Unschedulable);
        Assert.Equal(0, cluster.Cluster.Server.Requests.Get("delete", "pods", "default"));

        // Turning auto-upgrade off removes the state labels and uncordons the node the upgrade cordoned.
        await cluster.PatchPolicySpecAsync("""{"upgradePolicy":{"autoUpgrade":false}}""");
        await Eventually.TrueAsync(async () => (await cluster.Client.CoreV1.ListNodeAsync()).Items.All(n =>
            n.Metadata.Labels?.ContainsKey(Api.Contract.Labels.UpgradeState) != true && n.Spec?.Unschedulable != true),
            "labels removed and the failed node uncordoned");
    }
}
