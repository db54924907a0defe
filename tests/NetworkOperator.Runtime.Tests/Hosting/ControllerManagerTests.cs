using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Reconcile;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.Hosting;

public class ControllerManagerTests
{
    [Fact]
    public async Task For_owns_and_watches_turn_changes_into_keys_of_the_primary_object()
    {
        await using var cluster = await Cluster.StartAsync();
        var owner = await cluster.CreateConfigMapAsync("owner");
        await using var manager = new ControllerManager(cluster.Client, Endpointless());
        var seen = new ConcurrentQueue<ObjectKey>();
        manager.NewController("configmaps")
            .For<V1ConfigMap>(Predicates.Where<V1ConfigMap>(c => c.Metadata.Name != "ignored"))
            .Owns<V1Secret>()
            .Watches<V1Service>(s => [new ObjectKey("default", s.Metadata.Labels?["points-to"] ?? "none")])
            .Complete((key, _) =>
            {
                seen.Enqueue(key);
                return Task.FromResult(ReconcileResult.Done);
            });
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => seen.Contains(new ObjectKey("default", "owner")), "the existing object is reconciled");

        await cluster.CreateConfigMapAsync("ignored");
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child-secret",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference
                {
                    ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true,
                }],
            },
        }, "default");
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = "svc", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["points-to"] = "mapped" },
            },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");

        await Eventually.TrueAsync(() => seen.Contains(new ObjectKey("default", "mapped")), "the mapped key is reconciled");
        await Eventually.TrueAsync(() => seen.Count(k => k.Name == "owner") >= 2, "the owner is reconciled for its child");
        Assert.DoesNotContain(new ObjectKey("default", "ignored"), seen);
        Assert.DoesNotContain(seen, k => k.Name == "child-secret");

        // Each kind is watched once even though the builder and the cache reader both use it.
        Assert.Equal(1, cluster.Server.Requests.Get("list", "configmaps"));
        Assert.NotNull(manager.Reader.Get<V1Secret>("default", "child-secret"));
        Assert.Single(manager.Reader.ListOwnedBy<V1Secret>(owner.Metadata.Uid));

        await stop.CancelAsync();
        await run.WaitAsync(Eventually.Timeout);
        Assert.False(manager.Controllers[0].IsRunning);
    }

    [Fact]
    public async Task Probes_and_metrics_are_served_on_loopback()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        await using var manager = new ControllerManager(cluster.Client, new ManagerOptions
        {
            HealthProbeBindAddress = "127.0.0.1:0",
            MetricsBindAddress = "127.0.0.1:0",
        });
        var reconciled = 0;
        manager.NewController().For<V1ConfigMap>().Complete((_, _) =>
        {
            Interlocked.Increment(ref reconciled);
            return Task.FromResult(ReconcileResult.Done);
        });
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);
        await manager.Started.WaitAsync(Eventually.Timeout);
        var address = Assert.Single(manager.EndpointAddresses);
        Assert.Equal(IPAddress.Loopback.ToString(), address.Host);
        using var http = new HttpClient { BaseAddress = address };

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "ready after sync");
        await Eventually.TrueAsync(() => reconciled >= 1, "a reconcile happened");

        // The counter moves when the reconcile has returned, a moment after the reconciler ran.
        const string ReconcileCounted = "controller_runtime_reconcile_total{controller=\"configmap\",result=\"success\"}";
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/metrics")).Contains(ReconcileCounted, StringComparison.Ordinal),
            "the reconcile counted");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains(ReconcileCounted, metrics);
        Assert.Contains("workqueue_adds_total", metrics);
        Assert.Contains("informer_relists_total{resource=\"configmaps\"} 1", metrics);
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task The_clients_requests_are_exported_by_code_method_and_host_across_managers()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        using var requests = new RestClientRequests();
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration(), requests);
        var host = new Uri(cluster.Server.CreateClientConfiguration().Host).Authority;
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("missing", "default"));
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"key\":\"w\"}}", V1Patch.PatchType.MergePatch), "a", "default");

        var first = await ScrapeAsync(client, requests);
        Assert.Equal(1, Counted(first, "404", "GET", host));
        Assert.Equal(1, Counted(first, "200", "PATCH", host));
        // The informer's list (and its watch, counted once when the stream opens) are GETs answered 200.
        var listed = Counted(first, "200", "GET", host);
        Assert.InRange(listed, 1, 2);

        // A manager started again in the same process (the operator's restart for a late CRD) goes on from the
        // client's totals: a Prometheus counter must not drop back to zero while the process lives.
        var second = await ScrapeAsync(client, requests);
        Assert.InRange(Counted(second, "200", "GET", host), listed + 1, 4);
        Assert.Equal(1, Counted(second, "404", "GET", host));

        // A request that gets no answer is client-go's "<error>" code.
        using var unreachable = new RestClientRequests();
        using var nowhere = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, unreachable);
        await Assert.ThrowsAsync<HttpRequestException>(() => nowhere.CoreV1.ListNamespaceAsync());
        Assert.Equal(("<error>", "GET", "127.0.0.1:1", 1L), Assert.Single(unreachable.Snapshot()));
    }

    private static long Counted(string metrics, string code, string method, string host)
    {
        var series = $"rest_client_requests_total{{code=\"{code}\",method=\"{method}\",host=\"{host}\"}} ";
        var line = Assert.Single(metrics.Split('\n'), l => l.StartsWith(series, StringComparison.Ordinal));
        return long.Parse(line[series.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> ScrapeAsync(Kubernetes client, RestClientRequests requests)
    {
        await using var manager = new ControllerManager(client, new ManagerOptions
        {
            HealthProbeBindAddress = "0",
            MetricsBindAddress = "127.0.0.1:0",
            RequestMetrics = requests,
        });
        manager.NewController().For<V1ConfigMap>().Complete((_, _) => Task.FromResult(ReconcileResult.Done));
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => manager.Cache.HasSynced, "the cache synced");
        using var http = new HttpClient { BaseAddress = Assert.Single(manager.EndpointAddresses) };
        var metrics = await http.GetStringAsync("/metrics");
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.Timeout);
        return metrics;
    }

    [Fact]
    public async Task Readiness_fails_until_caches_sync()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Server.Faults.AddRule(new Simulator.Diagnostics.FaultRule("list", "configmaps", 503));
        await using var manager = new ControllerManager(cluster.Client, new ManagerOptions
        {
            HealthProbeBindAddress = "127.0.0.1:0",
            MetricsBindAddress = "0",
            CacheDefaults = { InitialBackoff = TimeSpan.FromMilliseconds(50) },
        });
        manager.NewController().For<V1ConfigMap>().Complete((_, _) => Task.FromResult(ReconcileResult.Done));
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);
        await manager.Started.WaitAsync(Eventually.Timeout);
        using var http = new HttpClient { BaseAddress = manager.EndpointAddresses[0] };

        var notReady = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("caches not synced", await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        cluster.Server.Faults.Clear();
        await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "ready after sync");
        await stop.CancelAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task With_leader_election_only_the_leader_runs_controllers_and_shutdown_hands_over()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        var reconciledBy = new ConcurrentDictionary<string, int>();
        var (first, firstStop, firstRun) = StartReplica(cluster, "first", reconciledBy);
        await Eventually.TrueAsync(() => first.IsLeader && reconciledBy.ContainsKey("first"), "the first replica leads and reconciles");
        var (second, secondStop, secondRun) = StartReplica(cluster, "second", reconciledBy);
        await Eventually.TrueAsync(() => second.Cache.HasSynced && second.Elector!.Leader == "first", "the standby is warm and sees the leader");

        Assert.False(second.IsLeader);
        Assert.False(second.Controllers[0].IsRunning);
        Assert.False(reconciledBy.ContainsKey("second"));

        await firstStop.CancelAsync();
        await firstRun.WaitAsync(Eventually.Timeout);
        Assert.False(first.Controllers[0].IsRunning);
        await Eventually.TrueAsync(() => second.IsLeader && reconciledBy.ContainsKey("second"), "the standby took over");

        await secondStop.CancelAsync();
        await secondRun.WaitAsync(Eventually.Timeout);
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    private static (ControllerManager, CancellationTokenSource, Task) StartReplica(Cluster cluster, string identity,
        ConcurrentDictionary<string, int> reconciledBy)
    {
        var manager = new ControllerManager(cluster.Client, new ManagerOptions
        {
            HealthProbeBindAddress = "0",
            MetricsBindAddress = "0",
            LeaderElection = new LeaderElectionOptions
            {
                LeaseName = "manager-lock",
                LeaseNamespace = "default",
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(200),
            },
        });
        manager.NewController().For<V1ConfigMap>().Complete((_, _) =>
        {
            reconciledBy.AddOrUpdate(identity, 1, (_, n) => n + 1);
            return Task.FromResult(ReconcileResult.Done);
        });
        var stop = new CancellationTokenSource();
        return (manager, stop, manager.RunAsync(stop.Token));
    }

    private static ManagerOptions Endpointless() => new() { HealthProbeBindAddress = "0", MetricsBindAddress = "0" };
}
