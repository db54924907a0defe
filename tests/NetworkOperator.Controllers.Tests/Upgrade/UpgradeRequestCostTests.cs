using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using Xunit.Abstractions;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// What a rolling driver upgrade costs the API server, counted by the simulated server: at most 10 requests per node
/// upgraded, workload evictions counted apart (they depend on the workload, not on the operator). A node's upgrade is
/// one node patch per chained transition (label, annotations, cordon and <c>mofed.wait</c> together), the driver pod
/// deletion, two Events, and neither a LIST of the node's pods nor GETs of evicted ones (the drain pod cache).
/// </summary>
public sealed class UpgradeRequestCostTests(ITestOutputHelper output)
{
    private const string OldVersion = "25.04-0.6.1.0-2";
    private const string NewVersion = "25.07-0.9.7.0-0";

    [Fact]
    public async Task A_rolling_upgrade_costs_at_most_10_requests_per_node_upgraded_besides_evictions()
    {
        const int nodeCount = 30;
        const int parallel = 10;
        await using var cluster = await UpgradeCluster.StartAsync(nodeCount);
        await cluster.CreateDeploymentAsync("web", nodeCount);
        await cluster.CreateBudgetAsync("web-pdb", "web", maxUnavailable: parallel);
        await Eventually.TrueAsync(async () => (await cluster.RunningPodsAsync("web")).Count == nodeCount, "web pods running");
        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync(OldVersion, new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = parallel, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 120 },
        });
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(OldVersion)).Count == nodeCount,
            "every node upgrade-done with the first driver", Eventually.LongTimeout);

        // The first rollout's last writes (mofed.wait turning "false" as drivers become ready) must not be counted.
        await Eventually.TrueAsync(async () => (await cluster.Client.CoreV1.ListNodeAsync()).Items
            .All(n => n.Metadata.Labels?.TryGetValue(Labels.MofedWait, out var wait) == true && wait == "false"), "mofed.wait false everywhere");

        // From here the test's only requests are the version bump and its node watch (opened before the reset), so
        // what the counters show is the operator's.
        await using var nodes = await CordonWatch.StartAsync(cluster.Client);
        var requests = cluster.Cluster.Server.Requests;
        requests.Reset();
        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");
        await Eventually.TrueAsync(() => Task.FromResult(nodes.DoneAgain == nodeCount), "every node upgraded and done again", Eventually.LongTimeout);
        // A node's UpgradeDone Event is recorded after the patch that marks it done (fire and forget): wait for the last
        // nodes' Events before counting, or the count races them.
        await Eventually.TrueAsync(() => Task.FromResult(requests.Get("create", "events") >= 2 * nodeCount), "every node's two upgrade Events recorded");
        var counts = requests.Snapshot();
        var byKind = string.Join(", ", counts.OrderByDescending(p => p.Value).Select(p => $"{p.Key.Verb} {p.Key.Resource} {p.Value}"));
        output.WriteLine($"requests during the upgrade of {nodeCount} nodes: {byKind}");

        var evictions = requests.Get("create", "pods/eviction");
        var watches = requests.Total("watch");
        var operatorRequests = requests.Total() - evictions - watches - 1;
        var perNode = (double)operatorRequests / nodeCount;
        output.WriteLine($"{operatorRequests} requests besides {evictions} evictions and {watches} watches = {perNode:F2} per node upgraded");

        Assert.InRange(perNode, 0, 10);
        Assert.True(evictions >= nodeCount, $"every node's web pod is evicted (saw {evictions} evictions)");
        Assert.InRange(nodes.MaxCordoned, 1, parallel);

        // Where the requests go: one patch per chained transition (start, drained, done; a node that waits for a slot
        // is marked upgrade-required first), the driver pod's deletion, two Events per node plus the Warnings of
        // blocked evictions, and the drains' pods from the drain pod cache: its one LIST for the whole upgrade instead of
        // a LIST per node and a GET per evicted pod.
        Assert.InRange(requests.Get("patch", "nodes"), 3 * nodeCount, 4 * nodeCount);
        Assert.Equal(nodeCount, requests.Get("delete", "pods", UpgradeCluster.Namespace));
        // Events: two per node, plus for a node whose drain the budget refused one Warning on the node and its copy on
        // the policy ("node X: ..."); the same blocker seen again bumps that Warning's count (an update, at most one per
        // refused eviction) instead of creating another. How many nodes meet a refusal depends on how fast the evicted
        // pods come back (a loaded machine: more), so only the bounds are fixed; the per-node total above is the goal.
        Assert.InRange(requests.Get("create", "events"), 2 * nodeCount, 4 * nodeCount);
        Assert.InRange(requests.Get("update", "events"), 0, evictions);
        Assert.InRange(requests.Get("list", "pods"), 1, 2);
        Assert.Equal(0, requests.Get("get", "pods"));

        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(NewVersion)).Count == nodeCount, "new driver everywhere");
    }
}
