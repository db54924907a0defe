using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Client;

/// <summary>Watches through the C# client: initial ADDED events, live changes, resourceVersion replay and 410 Expired.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions { WatchHistoryPerResource = 10 });
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Watch_without_resource_version_sends_current_objects_then_live_changes()
    {
        await Create("before");
        var events = new ConcurrentQueue<(WatchEventType, string)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watcher = _client.CoreV1.WatchListNamespacedConfigMap("default", onEvent: (type, cm) => events.Enqueue((type, cm.Name())));
        await Eventually.TrueAsync(() => events.Contains((WatchEventType.Added, "before")), "initial ADDED");

        await Create("after");
        var cm = await _client.CoreV1.ReadNamespacedConfigMapAsync("after", "default");
        cm.Data = new Dictionary<string, string> { ["k"] = "v" };
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "after", "default");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("after", "default");
        await Eventually.TrueAsync(() => events.Contains((WatchEventType.Deleted, "after")), "DELETED");
        Assert.Equal(
            [(WatchEventType.Added, "before"), (WatchEventType.Added, "kube-root-ca.crt"), (WatchEventType.Added, "after"), (WatchEventType.Modified, "after"), (WatchEventType.Deleted, "after")],
            events.ToArray());
    }

    [Fact]
    public async Task Watch_from_resource_version_replays_history_and_honours_label_selectors()
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        await Create("x", "keep");
        await Create("y", "drop");
        var events = new ConcurrentQueue<(WatchEventType, string)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var (type, item) in _client.CoreV1.WatchListNamespacedConfigMapAsync("default",
                           resourceVersion: list.ResourceVersion(), labelSelector: "sel=keep", cancellationToken: cts.Token))
        {
            events.Enqueue((type, item.Name()));
            break;
        }

        Assert.Equal([(WatchEventType.Added, "x")], events.ToArray());
    }

    [Fact]
    public async Task Watch_from_a_compacted_resource_version_gets_410_expired()
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        for (var i = 0; i < 15; i++)
        {
            await Create($"c{i}");
        }

        var errors = new ConcurrentQueue<Exception>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watcher = _client.CoreV1.WatchListNamespacedConfigMap("default", resourceVersion: list.ResourceVersion(),
            onEvent: (_, _) => { }, onError: errors.Enqueue);
        await Eventually.TrueAsync(() => !errors.IsEmpty, "error callback");
        var status = Assert.IsType<KubernetesException>(errors.First());
        Assert.Equal(410, status.Status.Code);
        Assert.Equal("Expired", status.Status.Reason);
    }

    [Fact]
    public async Task Watch_with_timeout_ends_the_stream_and_bookmarks_arrive_when_allowed()
    {
        using var http = _server.CreateHttpClient(timeout: TimeSpan.FromSeconds(60));
        var text = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");
        Assert.Contains("\"type\":\"BOOKMARK\"", text, StringComparison.Ordinal);
        Assert.Contains("k8s.io/initial-events-end", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_process_watch_sees_selector_transitions_as_added_and_deleted()
    {
        var type = _server.Registry.Find("", "v1", "configmaps")!;
        using var subscription = _server.Resources.Watch(type, "default", new ApiServer.WatchOptions { LabelSelector = "on=yes", ResourceVersion = _server.Resources.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await Create("t", "x");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"on":"yes"}}}""", V1Patch.PatchType.MergePatch), "t", "default");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"on":"no"}}}""", V1Patch.PatchType.MergePatch), "t", "default");
        var seen = new List<Watch.WatchEventType>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var delivery in subscription.ReadAllAsync(cts.Token))
        {
            seen.Add(delivery.Type);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([Watch.WatchEventType.Added, Watch.WatchEventType.Deleted], seen);
    }

    [Fact]
    public async Task A_named_get_with_watch_is_a_get_and_one_object_is_watched_through_the_collection()
    {
        using var http = _server.CreateHttpClient(timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"name":"one"}}"""))).StatusCode);
        var gets = _server.Requests.Get("get", "configmaps");

        // Request info turns only nameless GETs into list or watch: the item route answers the object.
        var named = await http.GetAsync("/api/v1/namespaces/default/configmaps/one?watch=true&timeoutSeconds=5");
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal("ConfigMap", JsonNode.Parse(await named.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
        Assert.Equal(gets + 1, _server.Requests.Get("get", "configmaps"));

        var watched = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Done&timeoutSeconds=1");
        Assert.Contains("\"type\":\"ADDED\"", watched, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"one\"", watched, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fault_injection_expires_the_next_watch_and_fails_requests_by_verb()
    {
        _server.Faults.ExpireNextWatches();
        using var http = _server.CreateHttpClient(timeout: TimeSpan.FromSeconds(60));
        var text = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5");
        Assert.Contains("\"type\":\"ERROR\"", text, StringComparison.Ordinal);
        Assert.Contains("\"code\":410", text, StringComparison.Ordinal);

        _server.Faults.AddRule(new Diagnostics.FaultRule("create", "configmaps", 503));
        var failed = await http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"metadata":{"name":"z"}}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode);
        _server.Faults.Clear();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"metadata":{"name":"z"}}"""))).StatusCode);
    }

    [Fact]
    public async Task A_fault_rule_for_one_user_fails_only_that_users_requests()
    {
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "victim" } }, "default");
        await _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "victim-view" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "victim", NamespaceProperty = "default" }],
        }, "default");
        using var victim = _server.CreateClient(_server.CreateServiceAccountToken("default", "victim"));
        _server.Faults.AddRule(new Diagnostics.FaultRule(null, null, 500, User: "system:serviceaccount:default:victim"));
        try
        {
            var failed = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => victim.CoreV1.ListNamespacedConfigMapAsync("default"));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.Response.StatusCode);
            Assert.NotNull(await _client.CoreV1.ListNamespacedConfigMapAsync("default"));
        }
        finally
        {
            _server.Faults.Clear();
        }

        Assert.NotNull(await victim.CoreV1.ListNamespacedConfigMapAsync("default"));
    }

    private Task<V1ConfigMap> Create(string name, string? selector = null) =>
        _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = selector is null ? null : new Dictionary<string, string> { ["sel"] = selector, ["on"] = "no" } },
        }, "default");
}
