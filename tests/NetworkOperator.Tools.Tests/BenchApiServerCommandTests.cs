using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>The benchmark command runs end to end on a tiny workload; its numbers are printed, never asserted.</summary>
[Trait("Category", "Slow")]
public sealed class BenchApiServerCommandTests
{
    [Fact]
    public async Task Small_run_delivers_every_event_to_every_watcher()
    {
        var result = await CliProcess.RunToolsAsync("bench-apiserver", "--writes", "300", "--objects", "50", "--writers", "4", "--watchers", "3");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Matches(@"events delivered to watchers:\s+900\s+\(expected 900\)", result.StdOut);
        Assert.Contains("writes/s (acknowledged):", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("0 errors", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_arguments_are_user_errors()
    {
        var result = await CliProcess.RunToolsAsync("bench-apiserver", "--writes", "0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--writes", result.StdErr, StringComparison.Ordinal);
    }
}
