using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

[Trait("Category", "Slow")]
public class BenchRuntimeCommandTests
{
    [Fact]
    public async Task Bench_runtime_prints_cache_memory_and_event_throughput_figures()
    {
        var result = await CliProcess.RunToolsAsync(["bench-runtime", "--objects", "200", "--updates", "300", "--workers", "2"],
            timeout: TimeSpan.FromMinutes(3));

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"list\+sync\s+200 objects in \d+ ms", result.StdOut);
        Assert.Matches(@"cache memory\s+[\d.]+ MiB total, \d+ bytes/object", result.StdOut);
        Assert.Matches(@"replay→queue→reconcile\s+200 keys in \d+ ms", result.StdOut);
        Assert.Matches(@"watch→cache→handlers\s+300 events in [\d.]+ s \(\d+ events/s\)", result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Bench_runtime_rejects_bad_sizes_without_a_stack_trace()
    {
        var result = await CliProcess.RunToolsAsync("bench-runtime", "--objects", "0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--objects", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
