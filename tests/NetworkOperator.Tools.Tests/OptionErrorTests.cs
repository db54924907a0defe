using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// The tools' numeric options read like the operator's: a bad value exits 1 with one line naming the option (plus the
/// usage hint), no .NET type name and no stack trace; and the option names keep the operator's meanings.
/// </summary>
[Trait("Category", "Slow")]
public sealed class OptionErrorTests
{
    public static TheoryData<string[], string> BadValues() => new()
    {
        { ["demo", "--node-count", "abc"], "--node-count expects a whole number, got 'abc'" },
        { ["demo", "--node-count", "0"], "--node-count must be at least 1, got 0" },
        { ["demo", "--networks", "-1"], "--networks must be at least 0, got -1" },
        { ["demo", "--max-parallel-upgrades", "-1"], "--max-parallel-upgrades must be at least 0, got -1" },
        { ["demo", "--steady-seconds", "1.5"], "--steady-seconds expects a whole number, got '1.5'" },
        { ["sim", "--node-count", "x"], "--node-count expects a whole number, got 'x'" },
        { ["sim", "--port", "http"], "--port expects a whole number, got 'http'" },
        { ["bench-upgrade", "--node-count", "many"], "--node-count expects a whole number, got 'many'" },
        { ["bench-converge", "--networks", "-2"], "--networks must be at least 0, got -2" },
        { ["bench-upgrade", "--rounds", "0"], "--rounds must be at least 1, got 0" },
        { ["bench-cluster", "--workers", "0"], "--workers must be at least 1, got 0" },
        { ["bench-apiserver", "--writers", "lots"], "--writers expects a whole number, got 'lots'" },
        { ["bench-runtime", "--objects", "ten"], "--objects expects a whole number, got 'ten'" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_one_line_naming_the_option(string[] args, string expected)
    {
        var result = await CliProcess.RunToolsAsync(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.Contains("network-operator-tools " + args[0] + " --help", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 2, "expected the error and the usage hint only:\n" + result.StdErr);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("sim")]
    public async Task Nodes_is_an_inventory_file_in_every_command(string command)
    {
        var result = await CliProcess.RunToolsAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        var line = result.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("--nodes ", StringComparison.Ordinal));
        Assert.Contains("inventory", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Demo_rejects_both_an_inventory_and_a_count()
    {
        var result = await CliProcess.RunToolsAsync("demo", "--nodes", "nodes.yaml", "--node-count", "3");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--nodes and --node-count cannot be used together", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_names_a_missing_operator_binary()
    {
        var result = await CliProcess.RunToolsAsync("demo", "--operator-binary", "no-such-operator");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--operator-binary: file 'no-such-operator' does not exist", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo", "0", "--nodes: a node count must be at least 1, got 0")]
    [InlineData("sim", "no-such-inventory.yaml", "--nodes: file 'no-such-inventory.yaml' does not exist")]
    public async Task Nodes_that_is_neither_an_inventory_nor_a_count_is_one_line(string command, string value, string expected)
    {
        var result = await CliProcess.RunToolsAsync(command, "--nodes", value);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
