using System.Globalization;
using System.Text.RegularExpressions;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// <c>demo --node-count N --exit-when-ready</c> end to end: simulated cluster, the operator as a child <c>run</c> process,
/// every component and networks to Ready, then the benchmark figures. Lines are checked for presence and shape,
/// never for timings; the steady-state write count must be zero.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Headless_demo_on_5_nodes_reaches_ready_and_prints_requests_writes_zero_steady_writes_and_its_floor()
    {
        var result = await CliProcess.RunToolsAsync(["demo", "--node-count", "5", "--networks", "3", "--exit-when-ready", "--steady-seconds", "3", "--floor"],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);

        Assert.Contains("nodes: 5", result.StdOut, StringComparison.Ordinal);
        Assert.Matches(TimeToReadyLine(), result.StdOut);
        Assert.Contains("API requests until Ready (all clients) by verb:", result.StdOut, StringComparison.Ordinal);
        foreach (var verb in new[] { "create", "list", "watch" })
        {
            Assert.Matches(new Regex($@"^  {verb}\s+[1-9]\d*$", RegexOptions.Multiline), result.StdOut);
        }

        Assert.True(Number(WritesLine(), result.StdOut) > 0, result.StdOut);
        Assert.Contains("writes until Ready to operator-managed resources:", result.StdOut, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^  create\s+daemonsets\s+[1-9]\d*$", RegexOptions.Multiline), result.StdOut);
        Assert.Matches(new Regex(@"^  create\s+network-attachment-definitions\s+3$", RegexOptions.Multiline), result.StdOut);
        Assert.Equal(0, Number(SteadyWritesLine(), result.StdOut));
        Assert.Matches(PeakLine(), result.StdOut);

        // The simulator's own cost is printed beside the operator's.
        Assert.Matches(new Regex(@"^simulated cluster start-up: \d+\.\d s$", RegexOptions.Multiline), result.StdOut);
        Assert.Matches(new Regex(@"^simulated cluster \(demo process\) peak working set: \d+\.\d MiB, managed heap now: \d+\.\d MiB$", RegexOptions.Multiline), result.StdOut);

        // The operator ran as the chart's ServiceAccount, and its RBAC let every request through.
        Assert.Contains("operator identity: system:serviceaccount:nvidia-network-operator:network-operator", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("operator requests refused by RBAC: 0", result.StdOut, StringComparison.Ordinal);

        // The steady window reads nothing either: the caches serve every reconcile.
        Assert.Matches(new Regex(@"^steady-state reads \(after Ready, all clients\): get 0, list 0, watch \d+$", RegexOptions.Multiline), result.StdOut);

        // The floor: every rendered object created once, plus at most one label patch per node.
        var floorObjects = Number(new Regex(@"^floor objects: (\d+)$", RegexOptions.Multiline), result.StdOut);
        Assert.True(floorObjects > 3, result.StdOut);
        Assert.InRange(Number(new Regex(@"^floor writes: (\d+)$", RegexOptions.Multiline), result.StdOut), floorObjects + 1, floorObjects + 5);
        Assert.True(Number(new Regex(@"^operator writes: (\d+)$", RegexOptions.Multiline), result.StdOut) >= floorObjects, result.StdOut);
        foreach (var line in new[] { @"^floor time: \d+\.\d s$", @"^operator time: \d+\.\d s$", @"^time ratio: \d+\.\d\d$", @"^write ratio: \d+\.\d\d$" })
        {
            Assert.Matches(new Regex(line, RegexOptions.Multiline), result.StdOut);
        }

        // Both runs meet a simulator that an untimed run has compiled, and each says what the cluster did for it.
        // The warm-up's operator run reached Ready (else the line would say "not ready").
        Assert.Matches(new Regex(@"^simulator warm-up \(untimed, 5 nodes\): \d+\.\d s \(floor \d+\.\d s, operator \d+\.\d s, JIT settling \d+\.\d s: \d+ methods\)$", RegexOptions.Multiline),
            result.StdOut);
        Assert.Matches(new Regex(@"^operator CPU until Ready: \d+\.\d s$", RegexOptions.Multiline), result.StdOut);
        var operatorPods = Number(new Regex(@"^simulated cluster work until Ready: CPU \d+\.\d s, (\d+) pods created, \d+ bindings, \d+ status writes, \d+ events, \d+ DaemonSet syncs; JIT \d+\.\d s, \d+ methods compiled$",
            RegexOptions.Multiline), result.StdOut);
        var floorPods = Number(new Regex(@"^floor cluster work: CPU \d+\.\d s, (\d+) pods created, \d+ bindings, \d+ status writes, \d+ events, \d+ DaemonSet syncs; JIT \d+\.\d s, \d+ methods compiled$",
            RegexOptions.Multiline), result.StdOut);
        Assert.True(floorPods > 0, result.StdOut);
        Assert.True(operatorPods >= floorPods, result.StdOut);
        Assert.Equal(operatorPods, Number(new Regex(@"^operator run cluster work: CPU \d+\.\d s, (\d+) pods created", RegexOptions.Multiline), result.StdOut));
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(3, 0)] // without networks: the install alone
    public async Task Bench_converge_is_the_headless_install_against_its_floor_with_nodes_given_as_a_number(int nodes, int networks)
    {
        var result = await CliProcess.RunToolsAsync(["bench-converge", "--nodes", $"{nodes}", "--networks", $"{networks}", "--steady-seconds", "2"],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Contains($"nodes: {nodes}", result.StdOut, StringComparison.Ordinal);
        if (networks > 0)
        {
            Assert.Matches(new Regex($@"^  create\s+network-attachment-definitions\s+{networks}$", RegexOptions.Multiline), result.StdOut);
        }
        else
        {
            Assert.DoesNotContain("network-attachment-definitions", result.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("macvlannetworks", result.StdOut, StringComparison.Ordinal);
        }

        Assert.Equal(0, Number(SteadyWritesLine(), result.StdOut));
        foreach (var line in new[]
        {
            @"^floor time: \d+\.\d s$", @"^operator time: \d+\.\d s$", @"^time ratio: \d+\.\d\d$",
            @"^floor writes: \d+$", @"^operator writes: \d+$", @"^write ratio: \d+\.\d\d$",
        })
        {
            Assert.Matches(new Regex(line, RegexOptions.Multiline), result.StdOut);
        }
    }

    [Fact]
    public async Task Interactive_demo_needs_a_network_for_its_sample_workload()
    {
        var result = await CliProcess.RunToolsAsync("demo", "--networks", "0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--networks 0: the interactive demo's sample workload attaches the first network", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Floor_needs_a_headless_run()
    {
        var result = await CliProcess.RunToolsAsync("demo", "--floor");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--floor compares a headless run with its floor: add --exit-when-ready", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_rejects_a_non_positive_node_count_without_a_stack_trace()
    {
        var result = await CliProcess.RunToolsAsync("demo", "--node-count", "0", "--exit-when-ready");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--node-count must be at least 1, got 0", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    private static long Number(Regex line, string output)
    {
        var match = line.Match(output);
        Assert.True(match.Success, $"no line matching {line} in:\n{output}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^time to Ready: \d+\.\d s$", RegexOptions.Multiline)]
    private static partial Regex TimeToReadyLine();

    [GeneratedRegex(@"^writes until Ready \(all clients\): (\d+)$", RegexOptions.Multiline)]
    private static partial Regex WritesLine();

    [GeneratedRegex(@"^steady-state writes to operator-managed resources \(after Ready\): (\d+)$", RegexOptions.Multiline)]
    private static partial Regex SteadyWritesLine();

    [GeneratedRegex(@"^operator process peak working set: \d+\.\d MiB$", RegexOptions.Multiline)]
    private static partial Regex PeakLine();
}
