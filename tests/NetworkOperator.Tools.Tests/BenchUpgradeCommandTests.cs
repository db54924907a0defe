using System.Globalization;
using System.Text.RegularExpressions;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>bench-upgrade runs end to end on a small synthetic cluster; its timings are printed, never asserted.</summary>
[Trait("Category", "Slow")]
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
    public async Task Requests_per_node_upgraded_are_printed_and_chained_passes_need_fewer_node_patches_than_one_step_per_pass()
    {
        var chained = await CliProcess.RunToolsAsync("bench-upgrade", "--node-count", "40", "--max-parallel-upgrades", "4", "--rounds", "1");
        var oneStep = await CliProcess.RunToolsAsync("bench-upgrade", "--node-count", "40", "--max-parallel-upgrades", "4", "--rounds", "1",
            "--one-step-per-pass");
        Assert.True(chained.ExitCode == 0 && oneStep.ExitCode == 0, chained.StdErr + oneStep.StdErr);

        // One step per pass writes every transition (seven per node); chained, a node waiting for a slot takes four
        // writes and one that gets it at once three. Each node: one driver pod delete, two Events (started, done).
        var (chainedPatches, chainedTotal) = Requests(chained.StdOut);
        var (oneStepPatches, _) = Requests(oneStep.StdOut);
        Assert.Equal(7, oneStepPatches);
        Assert.InRange(chainedPatches, 3, 4);
        Assert.InRange(chainedTotal, 6, 7);
        Assert.Contains("delete pods 1.00, create events 2.00", chained.StdOut, StringComparison.Ordinal);
    }

    private static (double Patches, double Total) Requests(string output)
    {
        var match = Regex.Match(output, @"API requests per node upgraded .*: patch nodes (?<patches>[0-9.]+), .* total (?<total>[0-9.]+)");
        Assert.True(match.Success, output);
        return (double.Parse(match.Groups["patches"].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Invalid_arguments_are_user_errors()
    {
        var result = await CliProcess.RunToolsAsync("bench-upgrade", "--node-count", "0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--node-count must be at least 1, got 0", result.StdErr, StringComparison.Ordinal);
    }
}
