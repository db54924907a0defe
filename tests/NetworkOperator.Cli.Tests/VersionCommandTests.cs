using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

[Trait("Category", "Slow")]
public class VersionCommandTests
{
    [Fact]
    public async Task Version_prints_the_executable_name_and_version_and_exits_zero()
    {
        var result = await CliProcess.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^network-operator \d+\.\d+\.\d+", result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Unknown_command_fails_with_a_message_and_no_stack_trace()
    {
        var result = await CliProcess.RunAsync("no-such-command");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-command", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
