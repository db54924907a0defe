using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>The tools executable holds demo, sim and the benchmarks, and none of the operator's own commands.</summary>
[Trait("Category", "Slow")]
public sealed class ToolsCommandLineTests
{
    [Fact]
    public async Task The_tools_help_lists_demo_sim_and_the_benchmarks_only()
    {
        var result = await CliProcess.RunToolsAsync("--help");
        Assert.Equal(0, result.ExitCode);
        var commands = result.StdOut.Split('\n')
            .SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Trim().Split(' ')[0])
            .Where(c => c.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            ["bench-apiserver", "bench-cluster", "bench-converge", "bench-runtime", "bench-upgrade", "demo", "sim"],
            commands.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_operator_command_given_to_the_tools_is_a_one_line_error()
    {
        var result = await CliProcess.RunToolsAsync("run");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("network-operator-tools --help", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
