using System.Diagnostics;
using System.Text.Json.Nodes;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// A policy's passes are paced (<see cref="OperatorOptions.PolicyPassInterval"/>): a burst of events that each wake the
/// policy is taken in by a few passes, not one pass per event, and the last change is still acted on.
/// </summary>
public sealed class PolicyPacingTests
{
    [Fact]
    public async Task A_burst_of_node_changes_wakes_the_policy_at_most_once_per_pass_interval_and_the_last_change_is_seen()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync(OperatorFixture.NvIpamOnlyPolicy);
        await Eventually.TrueAsync(async () => State(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName)) == "ready", "policy ready");
        var host = fx.Operators[0];

        // Every label change is a node fact the policy reconciles on; 40 of them back to back.
        var before = OperatorFixture.Reconciles(host, "nicclusterpolicy");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            await fx.LabelNodeAsync("worker-1", new Dictionary<string, string?> { ["example.com/burst"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        // The last change leads to one more pass after the burst.
        await fx.ReconciledAgainAsync("nicclusterpolicy", 1);
        await Task.Delay(OperatorOptions.DefaultPolicyPassInterval * 2);
        var passes = OperatorFixture.Reconciles(host, "nicclusterpolicy") - before;
        var elapsed = clock.Elapsed;

        // One pass may start at once, then at most one per interval (whatever the machine's speed).
        var bound = Math.Ceiling(elapsed / OperatorOptions.DefaultPolicyPassInterval) + 1;
        Assert.InRange(passes, 1, bound);
        Assert.True(passes < 40, $"{passes} passes for 40 events");
        Assert.Equal("ready", State(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName)));
    }

    [Fact]
    public async Task Policy_passes_are_paced_by_their_cost_as_well_as_by_the_interval()
    {
        await using var fx = await OperatorFixture.StartAsync();
        var host = fx.Operators[0];

        // A pass weighs every node: at 10,000 nodes the interval alone let a rollout's passes take half a core.
        foreach (var name in new[] { "nicclusterpolicy", "nicnodepolicy" })
        {
            var options = host.Manager.Controllers.Single(c => c.Name == name).Options;
            Assert.Equal((OperatorOptions.DefaultPolicyPassInterval, 0.25), (options.MinInterval, options.IdleShare));
        }
    }

    private static string? State(JsonObject? policy) => policy?["status"]?["state"]?.GetValue<string>();
}
