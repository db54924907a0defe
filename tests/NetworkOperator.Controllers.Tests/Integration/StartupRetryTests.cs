using NetworkOperator.Api.Contract;
using NetworkOperator.Simulator.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>Start-up reads that fail with transient API errors are retried; the operator starts once the server answers.</summary>
public sealed class StartupRetryTests
{
    [Fact]
    public async Task Start_up_lists_and_gets_failing_with_5xx_and_429_are_retried_and_the_operator_then_starts()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync(OperatorFixture.MultusOnlyPolicy);
        fx.Server.Requests.Reset();
        // Every read fails while the operator starts: the probe lists of the kinds it manages, the policy reads.
        fx.Server.Faults.AddRule(new FaultRule("list", null, 503));
        fx.Server.Faults.AddRule(new FaultRule("get", null, 500));
        fx.Server.Faults.AddRule(new FaultRule("watch", null, 429));

        var starting = fx.StartOperatorAsync();
        await Eventually.TrueAsync(() => Task.FromResult(starting.IsFaulted || fx.Server.Requests.Total("list") >= 3),
            "the first start-up list retried twice");
        Assert.False(starting.IsFaulted, $"start-up gave up on a transient error: {starting.Exception?.InnerException?.Message}");

        fx.Server.Faults.Clear();
        await starting.WaitAsync(TimeSpan.FromSeconds(90));
        await Eventually.TrueAsync(async () =>
            (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]?.GetValue<string>() == "ready",
            "the policy reconciled to ready once the server answers", Eventually.LongTimeout);
    }
}
