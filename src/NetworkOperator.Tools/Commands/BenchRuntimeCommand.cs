using System.CommandLine;
using NetworkOperator.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Reconcile;
using NetworkOperator.Simulator;

namespace NetworkOperator.Tools.Commands;

/// <summary>
/// <c>bench-runtime</c>: measures the controller runtime against the embedded API server on 127.0.0.1 and prints
/// numbers (no pass/fail): cache memory for N objects, list-and-sync time, how fast a controller drains the cache
/// replay through its queue, and the watch event rate the informer and queue sustain under concurrent writers.
/// </summary>
internal sealed class BenchRuntimeCommand : ICliCommand
{
    public int Order => 850;

    public Command Build()
    {
        var objects = new Option<int>("--objects") { Description = "Objects to cache.", DefaultValueFactory = _ => 10_000 };
        var updates = new Option<int>("--updates") { Description = "Updates to stream through the watch.", DefaultValueFactory = _ => 20_000 };
        var workers = new Option<int>("--workers") { Description = "Reconcile workers.", DefaultValueFactory = _ => 4 };
        var command = new Command("bench-runtime",
            "Benchmark the controller runtime (informer cache memory, watch and queue throughput) against the embedded API server.")
        {
            objects, updates, workers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(objects);
            var u = parse.GetValue(updates);
            var w = parse.GetValue(workers);
            if (n < 1 || u < 0 || w < 1)
            {
                throw new UserErrorException("--objects and --workers must be at least 1 and --updates at least 0");
            }

            await RunAsync(n, u, w, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(int objects, int updates, int workers, CancellationToken cancellationToken)
    {
        await using var server = await SimulatedApiServer.StartNewAsync(
            // Only the seeded ConfigMaps: without controller-manager's root CA ConfigMap in each namespace.
            new SimulatedApiServerOptions { WatchHistoryPerResource = Math.Max(5000, updates * 2), NamespaceDefaults = false }, cancellationToken);
        using var client = server.CreateClient();
        Print("machine", $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");

        var clock = Stopwatch.StartNew();
        await ParallelAsync(objects, 16, i => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(i, "seed"), "default",
            cancellationToken: cancellationToken), cancellationToken);
        Print("seed", $"{objects} ConfigMaps created in {clock.Elapsed.TotalSeconds:F2} s ({objects / clock.Elapsed.TotalSeconds:F0}/s over HTTP)");

        // Cache memory: managed heap growth from starting the informer to a synced cache, after full collections.
        var before = Heap();
        var metrics = new RuntimeMetrics();
        var informer = new Informer<V1ConfigMap>(new ResourceClient<V1ConfigMap>(client), metrics: metrics);
        using var stop = new CancellationTokenSource();
        clock.Restart();
        var informerRun = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(cancellationToken);
        var syncTime = clock.Elapsed;
        var after = Heap();
        Print("list+sync", $"{informer.Store.Count} objects in {syncTime.TotalMilliseconds:F0} ms");
        Print("cache memory", $"{(after - before) / 1024.0 / 1024.0:F1} MiB total, {(after - before) / (double)objects:F0} bytes/object " +
                              "(objects + namespace/owner/label indexes)");

        // Replay: a new controller receives every cached object as an add and reconciles it once through its queue.
        var reconciled = 0;
        var lastKeyDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new InformerSource<V1ConfigMap>(informer, Mappings.Self, null, "bench");
        var controller = new Controller("bench", new DelegateReconciler((_, _) =>
        {
            if (Interlocked.Increment(ref reconciled) == objects)
            {
                lastKeyDone.TrySetResult();
            }

            return Task.FromResult(ReconcileResult.Done);
        }), [source], new ControllerOptions { MaxConcurrentReconciles = workers }, metrics);
        clock.Restart();
        var controllerRun = controller.RunAsync(stop.Token);
        await lastKeyDone.Task.WaitAsync(cancellationToken);
        var replay = clock.Elapsed;
        Print("replay→queue→reconcile", $"{objects} keys in {replay.TotalMilliseconds:F0} ms ({objects / replay.TotalSeconds:F0} keys/s, {workers} workers)");

        if (updates > 0)
        {
            // Over HTTP the API server's write path is the bottleneck; in-process writes show what the watch,
            // cache and queue sustain when writes are nearly free.
            await MeasureUpdatesAsync("http writers", updates, informer, controller, () => reconciled, 16, async i =>
                await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"data":{"value":"h{{{i}}}"}}""",
                    V1Patch.PatchType.MergePatch), ConfigMap(i % objects, "").Metadata.Name, "default",
                    cancellationToken: cancellationToken), cancellationToken);
            var type = server.Resources.ResolveKind("v1", "ConfigMap");
            await MeasureUpdatesAsync("in-process writers", updates, informer, controller, () => reconciled, 2, async i =>
                await server.Resources.PatchAsync(type, "default", ConfigMap(i % objects, "").Metadata.Name,
                    Simulator.ApiServer.PatchType.Merge, JsonNode.Parse($$$"""{"data":{"value":"p{{{i}}}"}}"""),
                    cancellationToken: cancellationToken), cancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(informerRun, controllerRun);
    }

    private static async Task MeasureUpdatesAsync(string label, int updates, Informer<V1ConfigMap> informer, Controller controller,
        Func<int> reconciled, int writers, Func<int, Task> write, CancellationToken cancellationToken)
    {
        var seen = 0;
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var counter = informer.AddHandler(new ResourceHandler<V1ConfigMap>(onUpdate: (_, _) =>
        {
            if (Interlocked.Increment(ref seen) == updates)
            {
                allSeen.TrySetResult();
            }
        }));
        var reconciledBefore = reconciled();
        var clock = Stopwatch.StartNew();
        await ParallelAsync(updates, writers, write, cancellationToken);
        var writeTime = clock.Elapsed;
        await allSeen.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        var seenTime = clock.Elapsed;
        await WaitUntilAsync(() => controller.Queue is { Count: 0, ProcessingCount: 0, DelayedCount: 0 }, cancellationToken);
        var drained = clock.Elapsed;
        var reconciles = reconciled() - reconciledBefore;
        Print(label, $"{updates} merge patches by {writers} writers in {writeTime.TotalSeconds:F2} s ({updates / writeTime.TotalSeconds:F0}/s)");
        Print("  watch→cache→handlers", $"{updates} events in {seenTime.TotalSeconds:F2} s ({updates / seenTime.TotalSeconds:F0} events/s), " +
                                        $"last event {(seenTime - writeTime).TotalMilliseconds:F0} ms after the last write");
        Print("  queue→reconcile", $"idle {drained.TotalSeconds:F2} s after the first write; {reconciles} reconciles for {updates} events " +
                                  $"({Math.Max(0, 100.0 * (1 - (reconciles / (double)updates))):F0} % coalesced by the dirty set)");
    }

    private static V1ConfigMap ConfigMap(int i, string value) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"bench-{i:D6}",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["app"] = "bench", ["shard"] = (i % 16).ToString(CultureInfo.InvariantCulture) },
        },
        Data = new Dictionary<string, string> { ["value"] = value, ["payload"] = new string('x', 128) },
    };

    private static async Task ParallelAsync(int count, int parallelism, Func<int, Task> action, CancellationToken cancellationToken) =>
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, _) => await action(i));

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Print(string what, string value) => Console.Out.WriteLine($"{what,-26} {value}");
}
