using System.CommandLine;
using NetworkOperator.Cli;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Tools.Commands;

/// <summary>
/// <c>bench-cluster</c>: starts a simulated cluster of N synthetic nodes, creates a DaemonSet over all of them and
/// prints how long until every pod is Ready (zero kubelet delay) and the process memory. Numbers only, no pass/fail.
/// </summary>
internal sealed class BenchClusterCommand : ICliCommand
{
    public int Order => 860;

    public Command Build()
    {
        var nodes = new Option<int>("--node-count") { Description = "Synthetic nodes.", DefaultValueFactory = _ => 10_000 }.AtLeast(1);
        var workers = new Option<int>("--workers") { Description = "Workers per simulated controller.", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var command = new Command("bench-cluster",
            "Benchmark the simulated cluster: a DaemonSet over N synthetic nodes, time until every pod is Ready, and memory.")
        {
            nodes, workers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(nodes);
            var w = parse.GetValue(workers);
            await RunAsync(n, w, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(int nodeCount, int workers, CancellationToken cancellationToken)
    {
        Print("machine", $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        var clock = Stopwatch.StartNew();
        var options = new SimulatedClusterOptions
        {
            NodeCount = nodeCount,
            Workers = workers,
            Server = { WatchHistoryPerResource = Math.Max(5000, nodeCount * 4) },
        };
        await using var cluster = await SimulatedCluster.StartAsync(options, cancellationToken);
        Print("start", $"{nodeCount} nodes registered (with leases) and caches synced in {clock.Elapsed.TotalSeconds:F2} s");

        using var client = cluster.CreateClient();
        var ds = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "bench" },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "bench" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "bench" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "bench", Image = "example/bench:1" }] },
                },
            },
        };
        clock.Restart();
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ds, "default", cancellationToken: cancellationToken);
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var status = (await client.AppsV1.ReadNamespacedDaemonSetAsync("bench", "default", cancellationToken: cancellationToken)).Status;
            if (status is not null && status.DesiredNumberScheduled == nodeCount && status.NumberReady == nodeCount)
            {
                break;
            }

            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Print("progress", $"{clock.Elapsed.TotalSeconds:F0} s: created {cluster.Counters.PodsCreated}, bound {cluster.Counters.Bindings}, " +
                                  $"started {cluster.Counters.PodsStarted}, ready {status?.NumberReady ?? 0}/{nodeCount}");
            }

            await Task.Delay(100, cancellationToken);
        }

        var elapsed = clock.Elapsed;
        Print("daemonset", $"{nodeCount} pods Ready in {elapsed.TotalSeconds:F2} s ({nodeCount / elapsed.TotalSeconds:F0} pods/s)");
        Print("work", $"created {cluster.Counters.PodsCreated}, bound {cluster.Counters.Bindings}, started {cluster.Counters.PodsStarted}, " +
                      $"status writes {cluster.Counters.StatusWrites}, retried syncs {cluster.Counters.SyncErrors}");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        Print("memory", $"working set {Mb(process.WorkingSet64)} MB (baseline {Mb(baseline)} MB), managed heap {Mb(GC.GetTotalMemory(false))} MB, " +
                        $"peak working set {Mb(process.PeakWorkingSet64)} MB, objects stored {cluster.Server.ObjectCount}");
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

    private static void Print(string what, string value) => Console.Out.WriteLine($"{what,-10} {value}");
}
