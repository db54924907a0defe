using System.Globalization;
using System.Text.RegularExpressions;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// <c>demo --upgrade --exit-when-done</c> end to end: simulated cluster, operator child process, a version bump and the
/// rolling driver upgrade to the end. Figures are checked for shape and bounds, never for timings.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class DemoUpgradeCommandTests
{
    [Fact]
    public async Task Headless_upgrade_of_6_nodes_reports_time_cordon_peak_and_requests()
    {
        var result = await CliProcess.RunToolsAsync(["demo", "--node-count", "6", "--upgrade", "--exit-when-done"], timeout: TimeSpan.FromMinutes(4));
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);

        var upgraded = Number(UpgradedLine(), result.StdOut);
        Assert.InRange(upgraded, 1, 6);
        Assert.Contains($"on {upgraded} nodes, maxParallelUpgrades 2", result.StdOut, StringComparison.Ordinal);
        Assert.InRange(Number(CordonedLine(), result.StdOut), 1, 2);
        Assert.Matches(UpgradeTimeLine(), result.StdOut);
        Assert.Matches(TimeToReadyLine(), result.StdOut);
        Assert.Contains("API requests during the upgrade (all clients) by verb:", result.StdOut, StringComparison.Ordinal);

        // One driver pod deleted per node, workloads evicted through the API, and the per-node figure is the total / nodes.
        Assert.InRange(Number(DeletedPodsLine(), result.StdOut), upgraded, 2 * upgraded);
        Assert.Matches(new Regex(@"^  create\s+pods/eviction\s+\d+$", RegexOptions.Multiline), result.StdOut);
        var total = TotalLine().Match(result.StdOut);
        Assert.True(total.Success, result.StdOut);
        var perNode = double.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) / (double)upgraded, perNode, 0.05);
        var peak = Regex.Match(result.StdOut, @"^operator process peak working set \(through the upgrade\): (\d+\.\d) MiB$", RegexOptions.Multiline);
        Assert.True(peak.Success, result.StdOut);
        Assert.True(double.Parse(peak.Groups[1].Value, CultureInfo.InvariantCulture) > 1, "a running process has a working set");

        // The cluster's side of the upgrade: every upgraded node's driver pod was recreated by the DaemonSet controller.
        var work = Regex.Match(result.StdOut,
            @"^simulated cluster work during the upgrade: CPU \d+\.\d s, (\d+) pods created, \d+ bindings, \d+ status writes, \d+ events, (\d+) DaemonSet syncs; JIT \d+\.\d s, \d+ methods compiled$",
            RegexOptions.Multiline);
        Assert.True(work.Success, result.StdOut);
        Assert.True(long.Parse(work.Groups[1].Value, CultureInfo.InvariantCulture) >= upgraded, result.StdOut);
        Assert.True(long.Parse(work.Groups[2].Value, CultureInfo.InvariantCulture) >= 1, result.StdOut);
        Assert.Matches(new Regex(@"^operator CPU during the upgrade: \d+\.\d s$", RegexOptions.Multiline), result.StdOut);
    }

    [Fact]
    public async Task Headless_upgrade_with_floor_prints_one_node_alone_times_the_waves_and_the_ratio()
    {
        var result = await CliProcess.RunToolsAsync(["demo", "--node-count", "6", "--upgrade", "--exit-when-done", "--floor"],
            timeout: TimeSpan.FromMinutes(6));
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);

        // The floor's run lets one node through at a time and times the first five; waves are the fleet's nodes over 2.
        var upgraded = Number(UpgradedLine(), result.StdOut);
        Assert.Matches(new Regex(@"^upgrade floor run: time to Ready \d+\.\d s; nodes upgraded one at a time in \d+\.\d\d(, \d+\.\d\d){0,4} s$",
            RegexOptions.Multiline), result.StdOut);
        var floor = Regex.Match(result.StdOut, @"^upgrade floor: one node \d+\.\d\d s × (\d+) waves = \d+\.\d s$", RegexOptions.Multiline);
        Assert.True(floor.Success, result.StdOut);
        Assert.Equal((upgraded + 1) / 2, int.Parse(floor.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Matches(new Regex(@"^upgrade time ratio: (\d+\.\d\d|n/a)$", RegexOptions.Multiline), result.StdOut);
        Assert.Matches(new Regex(@"^upgrade CPU bound: \d+\.\d s of CPU \(simulated cluster \d+\.\d s, operator \d+\.\d s\) over \d+ cores = \d+\.\d s, (\d+\.\d\d|n/a) × the floor$",
            RegexOptions.Multiline), result.StdOut);
    }

    [Fact]
    public async Task Exit_when_done_without_upgrade_is_a_user_error()
    {
        var result = await CliProcess.RunToolsAsync("demo", "--exit-when-done");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--upgrade", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    private static int Number(Regex line, string output)
    {
        var match = line.Match(output);
        Assert.True(match.Success, $"no line matching {line} in:\n{output}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^nodes upgraded: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex UpgradedLine();

    [GeneratedRegex(@"^  delete\s+pods\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex DeletedPodsLine();

    [GeneratedRegex(@"^most nodes cordoned at once: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex CordonedLine();

    [GeneratedRegex(@"^upgrade time: \d+\.\d s$", RegexOptions.Multiline)]
    private static partial Regex UpgradeTimeLine();

    [GeneratedRegex(@"^time to Ready: \d+\.\d s$", RegexOptions.Multiline)]
    private static partial Regex TimeToReadyLine();

    [GeneratedRegex(@"^API requests during the upgrade: (\d+), (\d+\.\d) per node upgraded$", RegexOptions.Multiline)]
    private static partial Regex TotalLine();
}
