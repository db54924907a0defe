using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// Every operator command's numeric and enum options: a bad value exits 1 with one line naming the option (plus the usage
/// hint), no .NET type name and no stack trace; and the option names keep one meaning across commands.
/// </summary>
[Trait("Category", "Slow")]
public sealed class OptionErrorTests
{
    public static TheoryData<string[], string> BadValues() => new()
    {
        { ["run", "--zap-time-encoding", "unix"], "--zap-time-encoding: \"unix\" is not one of epoch, millis, nano, iso8601, rfc3339, rfc3339nano" },
        { ["run", "--zap-encoder", "xml"], "--zap-encoder: \"xml\" is not one of console, json" },
        { ["run", "--metrics-secure", "--metrics-bind-address", ":8443", "--health-probe-bind-address", ":8443"], "--metrics-secure: /metrics needs its own address" },
        { ["render", "-f", "policy.yaml", "-o", "toml"], "-o/--output must be one of yaml, json, got 'toml'" },
        { ["diff", "-f", "policy.yaml", "-o", "toml"], "-o/--output must be one of table, json, got 'toml'" },
        // -f takes several files, so an option another command has would otherwise be read as a missing file.
        { ["validate", "-f", "policy.yaml", "--kubeconfig", "k.yaml"], "'--kubeconfig' is not an option of this command, and -f takes file names ('-' for standard input)" },
        { ["render", "-f", "policy.yaml", "--leader-elect"], "'--leader-elect' is not an option of this command, and -f takes file names" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_one_line_naming_the_option(string[] args, string expected)
    {
        var result = await CliProcess.RunAsync(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 2, "expected the error and the usage hint only:\n" + result.StdErr);
    }

    [Theory]
    [InlineData("render")]
    [InlineData("validate")]
    public async Task Nodes_is_an_inventory_file_in_every_command(string command)
    {
        var result = await CliProcess.RunAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        var line = result.StdOut.Split('\n').Single(l => l.TrimStart().StartsWith("--nodes ", StringComparison.Ordinal));
        Assert.Contains("inventory", line, StringComparison.OrdinalIgnoreCase);
    }
}
