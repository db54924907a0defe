using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>bench-upgrade runs end to end on a small synthetic cluster; its timings are printed, never asserted.</summary>
public sealed class BenchUpgradeCommandTests
{
    [Fact]
    public async Task Small_run_upgrades_every_node_within_the_parallel_limit()
    {
        var result = await CliProcess.RunToolsAsync("bench-upgrade", "--node-count", "40", "--max-parallel-upgrades", "4", "--rounds", "1");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Contains("40 upgraded, at most 4 cordoned", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("decision time per pass mean", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_arguments_are_user_errors()
    {
        var result = await CliProcess.RunToolsAsync("bench-upgrade", "--node-count", "0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--node-count must be at least 1, got 0", result.StdErr, StringComparison.Ordinal);
    }
}
