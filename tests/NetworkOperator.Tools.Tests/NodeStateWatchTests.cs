using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// The demo's plain lines follow node upgrade states through a watch: every step a node takes is kept, even when the
/// whole upgrade happens between two of the demo's polls.
/// </summary>
public sealed class NodeStateWatchTests
{
    [Fact]
    public async Task Every_state_a_node_passes_through_is_kept_in_order_even_when_the_next_follows_at_once()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 2 });
        using var client = cluster.CreateClient();
        var node = (await client.CoreV1.ListNodeAsync()).Items.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).First().Metadata.Name;
        await using var watch = await NodeStateWatch.StartAsync(client, CancellationToken.None);
        Assert.Empty(watch.TakeChanges());

        foreach (var (state, cordon) in new[] { ("upgrade-required", false), ("drain-required", true), ("pod-restart-required", true), ("upgrade-done", false) })
        {
            var unschedulable = cordon ? "true" : "null";
            var patch = new V1Patch($$$"""{"metadata":{"labels":{"{{{Labels.UpgradeState}}}":"{{{state}}}"}},"spec":{"unschedulable":{{{unschedulable}}}}}""",
                V1Patch.PatchType.MergePatch);
            await client.CoreV1.PatchNodeAsync(patch, node);
        }

        var seen = new List<NodeStates>();
        await Eventually.TrueAsync(() =>
        {
            seen.AddRange(watch.TakeChanges());
            return Task.FromResult(seen.Count > 0 && seen[^1].UpgradeStates.ContainsKey("upgrade-done"));
        }, "the last patch seen by the watch");

        Assert.Equal(["upgrade-required", "drain-required", "pod-restart-required", "upgrade-done"],
            seen.Select(s => Assert.Single(s.UpgradeStates).Key));
        Assert.Equal([[], [node], [node], []], seen.Select(s => s.Cordoned.ToArray()));
        Assert.Equal(seen[^1], watch.Current);

        // A node event that changes neither state nor cordon adds no picture; a deleted node leaves the counts.
        await client.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"example.com/other":"x"}}}""", V1Patch.PatchType.MergePatch), node);
        await client.CoreV1.DeleteNodeAsync(node);
        var after = new List<NodeStates>();
        await Eventually.TrueAsync(() =>
        {
            after.AddRange(watch.TakeChanges());
            return Task.FromResult(after.Count > 0);
        }, "the deletion seen by the watch");
        Assert.Empty(Assert.Single(after).UpgradeStates);
    }

    [Fact]
    public void Pictures_are_equal_by_value_and_count_nodes_per_state()
    {
        var a = NodeStates.Of([Node("n1", "upgrade-done", false), Node("n2", "upgrade-done", false), Node("n3", null, true)]);
        var b = NodeStates.Of([Node("n3", null, true), Node("n2", "upgrade-done", false), Node("n1", "upgrade-done", false)]);
        Assert.Equal(a, b);
        Assert.Equal(2, a.UpgradeStates["upgrade-done"]);
        Assert.Equal(["n3"], a.Cordoned);
        Assert.NotEqual(a, NodeStates.Of([Node("n1", "upgrade-done", false), Node("n2", "drain-required", false), Node("n3", null, true)]));
    }

    private static V1Node Node(string name, string? upgradeState, bool cordoned) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = upgradeState is null ? null : new Dictionary<string, string> { [Labels.UpgradeState] = upgradeState },
        },
        Spec = new V1NodeSpec { Unschedulable = cordoned },
    };
}
