using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Diagnostics;

/// <summary>Settings of one benchmark run.</summary>
public sealed record ApiServerBenchmarkOptions
{
    /// <summary>Object writes to perform over HTTP (creates first, then updates).</summary>
    public int Writes { get; init; } = 50_000;

    /// <summary>Distinct objects written (the first this many writes are creates).</summary>
    public int Objects { get; init; } = 2_000;

    /// <summary>Concurrent writing clients.</summary>
    public int Writers { get; init; } = 32;

    /// <summary>Concurrent watchers that must each receive every event.</summary>
    public int Watchers { get; init; } = 10;
}

/// <summary>What one benchmark run measured.</summary>
public sealed record ApiServerBenchmarkResult(
    int Writes,
    int Watchers,
    TimeSpan WriteDuration,
    TimeSpan DeliveryDuration,
    long EventsDelivered,
    long ManagedBytesAfter,
    long WorkingSetBytes,
    int ObjectsStored,
    int Errors,
    TimeSpan ProcessorTime)
{
    /// <summary>CPU time (client and server together, all cores) per write: the load-independent cost.</summary>
    public double CpuMicrosecondsPerWrite => ProcessorTime.TotalMicroseconds / Writes;

    /// <summary>What the CPU cost allows on this many otherwise idle cores (the machine may be shared while measuring).</summary>
    public double ProjectedWritesPerSecond(int cores) => cores * 1_000_000.0 / CpuMicrosecondsPerWrite;

    public double WritesPerSecond => Writes / WriteDuration.TotalSeconds;

    public double EventsPerSecond => EventsDelivered / DeliveryDuration.TotalSeconds;
}

/// <summary>
/// Measures the server as clients see it: configmap writes over HTTP from concurrent writers while N watchers each
/// stream every resulting event. A run ends when every watcher has received every write's event.
/// </summary>
public static class ApiServerBenchmark
{
    public static async Task<ApiServerBenchmarkResult> RunAsync(ApiServerBenchmarkOptions options, CancellationToken cancellationToken = default)
    {
        await using var server = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions(), cancellationToken);
        var namespaces = server.Registry.Find("", "v1", "namespaces")!;
        await server.Resources.CreateAsync(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bench" } },
            cancellationToken: cancellationToken);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Writers + options.Watchers + 4,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

        // Writers and watchers authenticate as a ServiceAccount bound by RBAC (not system:masters, which skips the
        // authorizer), so every request pays for authentication and RBAC evaluation as the operator's requests do.
        var token = await BenchmarkIdentityAsync(server, cancellationToken);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var startRevision = server.Resources.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture);
        var received = new long[options.Watchers];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchers = new List<Task>();
        for (var w = 0; w < options.Watchers; w++)
        {
            var index = w;
            var response = await http.GetAsync($"/api/v1/namespaces/bench/configmaps?watch=true&resourceVersion={startRevision}",
                HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            watchers.Add(Task.Run(() => CountLinesAsync(response, received, index, stop.Token), CancellationToken.None));
        }

        var errors = 0;
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, options.Writers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= options.Writes)
                {
                    return;
                }

                var name = "obj-" + (n % options.Objects).ToString(CultureInfo.InvariantCulture);
                var body = $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\",\"labels\":{{\"bench\":\"true\"}}}},\"data\":{{\"n\":\"{n}\"}}}}";
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var result = n < options.Objects
                    ? await http.PostAsync("/api/v1/namespaces/bench/configmaps", content, cancellationToken)
                    : await http.PutAsync($"/api/v1/namespaces/bench/configmaps/{name}", content, cancellationToken);
                if (!result.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(writers);
        var writeDuration = clock.Elapsed;
        var expected = (long)(options.Writes - errors);
        var deadline = Stopwatch.StartNew();
        while (received.Any(r => Interlocked.Read(ref r) < expected) && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(5, cancellationToken);
        }

        var deliveryDuration = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var delivered = received.Sum(r => Interlocked.Read(ref r));
        await stop.CancelAsync();
        await Task.WhenAll(watchers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return new ApiServerBenchmarkResult(options.Writes, options.Watchers, writeDuration, deliveryDuration, delivered,
            GC.GetTotalMemory(forceFullCollection: true), Environment.WorkingSet, server.ObjectCount, errors, cpu);
    }

    private static async Task<string> BenchmarkIdentityAsync(SimulatedApiServer server, CancellationToken cancellationToken)
    {
        JsonObject Meta(string name) => new() { ["name"] = name, ["namespace"] = "bench" };
        await server.Resources.CreateAsync(server.Registry.Find("", "v1", "serviceaccounts")!, "bench",
            new JsonObject { ["metadata"] = Meta("bench-writer") }, cancellationToken: cancellationToken);
        await server.Resources.CreateAsync(server.Registry.Find("rbac.authorization.k8s.io", "v1", "roles")!, "bench", new JsonObject
        {
            ["metadata"] = Meta("bench-writer"),
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["resources"] = new JsonArray("configmaps"),
                ["verbs"] = new JsonArray("get", "list", "watch", "create", "update", "patch"),
            }),
        }, cancellationToken: cancellationToken);
        await server.Resources.CreateAsync(server.Registry.Find("rbac.authorization.k8s.io", "v1", "rolebindings")!, "bench", new JsonObject
        {
            ["metadata"] = Meta("bench-writer"),
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "bench-writer" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "bench-writer", ["namespace"] = "bench" }),
        }, cancellationToken: cancellationToken);
        return server.CreateServiceAccountToken("bench", "bench-writer");
    }

    private static async Task CountLinesAsync(HttpResponseMessage response, long[] received, int index, CancellationToken cancellationToken)
    {
        using (response)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    var lines = buffer.AsSpan(0, read).Count((byte)'\n');
                    Interlocked.Add(ref received[index], lines);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
            }
        }
    }
}
