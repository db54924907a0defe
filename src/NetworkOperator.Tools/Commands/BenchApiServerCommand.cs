using System.CommandLine;
using NetworkOperator.Cli;
using System.Globalization;
using NetworkOperator.Simulator.Diagnostics;

namespace NetworkOperator.Tools.Commands;

/// <summary>`network-operator-tools bench-apiserver`: writes/s of the embedded API server over HTTP with concurrent watchers.</summary>
internal sealed class BenchApiServerCommand : ICliCommand
{
    public int Order => 510;

    public Command Build()
    {
        var writes = new Option<int>("--writes") { Description = "Object writes to perform.", DefaultValueFactory = _ => 50_000 };
        var objects = new Option<int>("--objects") { Description = "Distinct objects (first writes create them, later ones update).", DefaultValueFactory = _ => 2_000 };
        var writers = new Option<int>("--writers") { Description = "Concurrent writing clients.", DefaultValueFactory = _ => 32 };
        var watchers = new Option<int>("--watchers") { Description = "Concurrent watchers, each receiving every event.", DefaultValueFactory = _ => 10 };
        var command = new Command("bench-apiserver", "Benchmark the embedded API server: writes per second over HTTP with concurrent watchers, and memory.")
        {
            writes, objects, writers, watchers,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new ApiServerBenchmarkOptions
            {
                Writes = parseResult.GetValue(writes),
                Objects = parseResult.GetValue(objects),
                Writers = parseResult.GetValue(writers),
                Watchers = parseResult.GetValue(watchers),
            };
            if (options.Writes < 1 || options.Objects < 1 || options.Writers < 1 || options.Watchers < 0)
            {
                throw new UserErrorException("--writes, --objects and --writers must be at least 1 and --watchers at least 0");
            }

            Console.Out.WriteLine($"bench-apiserver: {options.Writes} writes ({options.Objects} objects) from {options.Writers} writers, " +
                                  $"{options.Watchers} watchers, {Environment.ProcessorCount} CPUs");
            var result = await ApiServerBenchmark.RunAsync(options, cancellationToken);
            var c = CultureInfo.InvariantCulture;
            Console.Out.WriteLine(string.Create(c, $"writes/s (acknowledged):      {result.WritesPerSecond,12:F0}   ({result.Writes} in {result.WriteDuration.TotalSeconds:F2} s, {result.Errors} errors)"));
            Console.Out.WriteLine(string.Create(c, $"events delivered to watchers: {result.EventsDelivered,12}   (expected {(long)(result.Writes - result.Errors) * result.Watchers})"));
            Console.Out.WriteLine(string.Create(c, $"events/s (all watchers):      {result.EventsPerSecond,12:F0}   (all delivered after {result.DeliveryDuration.TotalSeconds:F2} s)"));
            Console.Out.WriteLine(string.Create(c, $"CPU per write (client+server):{result.CpuMicrosecondsPerWrite,12:F1} us   (load average now {LoadAverage()})"));
            Console.Out.WriteLine(string.Create(c, $"CPU-bound ceiling on {Environment.ProcessorCount} idle cores:{result.ProjectedWritesPerSecond(Environment.ProcessorCount),9:F0} writes/s"));
            Console.Out.WriteLine(string.Create(c, $"objects stored:               {result.ObjectsStored,12}"));
            Console.Out.WriteLine(string.Create(c, $"managed heap after run:       {result.ManagedBytesAfter / 1048576.0,12:F1} MiB"));
            Console.Out.WriteLine(string.Create(c, $"process working set:          {result.WorkingSetBytes / 1048576.0,12:F1} MiB"));
            return result.Errors == 0 && result.EventsDelivered == (long)result.Writes * result.Watchers ? 0 : 1;
        });
        return command;
    }

    /// <summary>The 1-minute load average (Linux), so a reader can tell a loaded machine from a slow server.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
