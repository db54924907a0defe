using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>`network-operator run` started before its API server is reachable: it waits, it does not crash.</summary>
[Trait("Category", "Slow")]
public sealed class RunUnreachableServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("run-unreachable-").FullName;

    [Fact]
    public async Task Run_against_a_refusing_server_logs_one_line_per_attempt_stays_unready_and_exits_0_on_SIGTERM()
    {
        // A kubeconfig of a server that has gone away: its port now refuses connections.
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await using (var server = await SimulatedApiServer.StartNewAsync())
        {
            server.WriteKubeconfig(kubeconfig);
        }

        var health = ProbeEndpoint.FreePort();
        using var op = BackgroundCli.Start(
            ["run", "--kubeconfig", kubeconfig, "--install-crds", "--metrics-bind-address", "0", "--health-probe-bind-address", $"127.0.0.1:{health}"],
            new Dictionary<string, string> { ["POD_NAMESPACE"] = "nvidia-network-operator", ["OFED_PRECOMPILED_TAG_LISTER"] = "offline" });

        await op.WaitForLineAsync(l => l.Contains("(attempt 3)", StringComparison.Ordinal), "the third failed start-up attempt", Eventually.LongTimeout);
        var attempts = op.Output.Split('\n').Where(l => l.Contains("start-up read failed", StringComparison.Ordinal)).ToList();
        Assert.True(attempts.Count >= 3, op.Output);
        // Each attempt is one line naming what failed, with the cause and no exception dump.
        Assert.All(attempts, l => Assert.Contains("refused", l, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("   at ", op.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", op.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", op.Output, StringComparison.Ordinal);
        Assert.False(op.HasExited, op.Output);
        Assert.False(await ProbeEndpoint.ReadyAsync(health), "/readyz must not report ready before the operator has started");

        Assert.Equal(0, await op.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
