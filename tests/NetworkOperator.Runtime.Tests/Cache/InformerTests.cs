using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Simulator.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.Cache;

public class InformerTests
{
    [Fact]
    public async Task Initial_list_fills_the_cache_and_reports_each_object_once_as_initial()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        await cluster.CreateConfigMapAsync("b");
        await cluster.CreateConfigMapAsync("c", "kube-system");
        await using var run = Run(cluster);

        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        Assert.True(run.Informer.HasSynced);
        Assert.Equal(["a", "b", "c"], run.Informer.Store.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal(["a", "b"], run.Informer.Store.List("default").Select(c => c.Metadata.Name).Order());
        Assert.All(run.Log.Adds.Values, v => Assert.Equal(1, v));
        Assert.Equal(3, run.Log.InitialAdds);
        Assert.Equal(1, run.Informer.Relists);
    }

    [Fact]
    public async Task Watch_events_reach_the_cache_and_handlers_with_old_and_new_objects()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a", value: "1");
        await using var run = Run(cluster);
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        await cluster.CreateConfigMapAsync("b");
        await cluster.UpdateConfigMapAsync("a", "2");
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("b", "default");

        await Eventually.TrueAsync(() => run.Log.Deletes.ContainsKey("default/b"), "the delete of b is seen");
        var update = Assert.Single(run.Log.Updates);
        Assert.Equal("1", update.Old.Data["key"]);
        Assert.Equal("2", update.New.Data["key"]);
        Assert.Equal("2", run.Informer.Store.Get(new("default", "a"))!.Data["key"]);
        Assert.Null(run.Informer.Store.Get(new("default", "b")));
        Assert.Equal(1, run.Log.Adds["default/b"]);
        Assert.Equal(1, run.Log.InitialAdds);
    }

    [Fact]
    public async Task A_transform_slims_listed_and_watched_objects_before_the_store_and_handlers_see_them()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a", value: "1");
        static object DropData(object obj)
        {
            var map = (V1ConfigMap)obj;
            return new V1ConfigMap { Metadata = new V1ObjectMeta { Name = map.Metadata.Name, NamespaceProperty = map.Metadata.NamespaceProperty,
                ResourceVersion = map.Metadata.ResourceVersion, Labels = new Dictionary<string, string> { ["keys"] = string.Join("-", map.Data.Keys) } } };
        }

        await using var run = Run(cluster, o => o.Transform = DropData);
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        await cluster.UpdateConfigMapAsync("a", "2");
        await cluster.CreateConfigMapAsync("b");

        await Eventually.TrueAsync(() => run.Log.Adds.ContainsKey("default/b") && run.Log.Updates.Count == 1, "the update of a and the add of b are seen");
        foreach (var name in new[] { "a", "b" })
        {
            var cached = run.Informer.Store.Get(new("default", name))!;
            Assert.Null(cached.Data);
            Assert.Equal("key", cached.Metadata.Labels["keys"]);
        }

        var update = Assert.Single(run.Log.Updates);
        Assert.Null(update.Old.Data);
        Assert.Null(update.New.Data);
    }

    [Fact]
    public async Task An_expired_watch_relists_without_losing_or_duplicating_objects()
    {
        // A short history makes the server answer 410 Expired when the informer re-watches from its old version.
        await using var cluster = await Cluster.StartAsync(o => o.WatchHistoryPerResource = 5);
        for (var i = 0; i < 5; i++)
        {
            await cluster.CreateConfigMapAsync($"keep{i}");
        }

        await cluster.CreateConfigMapAsync("doomed");
        await using var run = Run(cluster, o => o.InitialBackoff = TimeSpan.FromMilliseconds(200));
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        // Cut the informer off: watches fail while the world changes by more than the history holds.
        cluster.Server.Faults.AddRule(new FaultRule("watch", "configmaps", 500));
        cluster.Server.Faults.CloseAllWatches();
        await Eventually.TrueAsync(() => cluster.Server.Requests.Get("watch", "configmaps") >= 2, "a watch attempt failed");
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("doomed", "default");
        for (var i = 0; i < 10; i++)
        {
            await cluster.UpdateConfigMapAsync("keep0", $"v{i}");
        }

        await cluster.CreateConfigMapAsync("born");
        cluster.Server.Faults.Clear();

        await Eventually.TrueAsync(() => run.Informer.Relists >= 2, "the informer relisted after 410");
        // Handlers hear of a change after the store has it: wait for the handlers too before counting what they heard.
        await Eventually.TrueAsync(() => run.Informer.Store.Get(new("default", "born")) is not null
            && run.Log.Adds.ContainsKey("default/born") && run.Log.Deletes.ContainsKey("default/doomed"), "the relist brought the new object");

        var server = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items
            .ToDictionary(c => c.Metadata.Name, c => c.Metadata.ResourceVersion);
        var cached = run.Informer.Store.List("default").ToDictionary(c => c.Metadata.Name, c => c.Metadata.ResourceVersion);
        Assert.Equal(server.OrderBy(p => p.Key), cached.OrderBy(p => p.Key));
        Assert.Equal("v9", run.Informer.Store.Get(new("default", "keep0"))!.Data["key"]);

        // Every live object was added exactly once more than it was deleted; the gone one was deleted once.
        foreach (var name in server.Keys)
        {
            Assert.Equal(1, run.Log.Adds.GetValueOrDefault($"default/{name}") - run.Log.Deletes.GetValueOrDefault($"default/{name}"));
        }

        Assert.Equal(1, run.Log.Deletes["default/doomed"]);
        Assert.True(run.Informer.WatchRestarts >= 1);
    }

    [Fact]
    public async Task A_list_is_read_in_pages_and_changes_between_pages_reach_the_cache_through_the_watch()
    {
        await using var cluster = await Cluster.StartAsync();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await cluster.CreateConfigMapAsync(name);
        }

        // While the first page is transformed, one of its objects changes and another is deleted: later pages report
        // the first page's version, so the watch from it replays both.
        var changed = 0;
        object ChangeWhileListing(object obj)
        {
            if (Interlocked.Exchange(ref changed, 1) == 0)
            {
                cluster.UpdateConfigMapAsync("a", "2").GetAwaiter().GetResult();
                cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("b", "default").GetAwaiter().GetResult();
            }

            return obj;
        }

        await using var run = Run(cluster, o =>
        {
            o.PageSize = 2;
            o.Transform = ChangeWhileListing;
        });
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        Assert.Equal(3, run.Informer.ListPages);
        Assert.Equal(3, cluster.Server.Requests.Get("list", "configmaps"));
        Assert.Equal(1, run.Informer.Relists);
        Assert.Equal(5, run.Log.InitialAdds);
        // Handlers hear of a change after the store has it: wait for both (the store alone raced the handler once in CI).
        await Eventually.TrueAsync(() => run.Informer.Store.Get(new("default", "b")) is null
            && run.Informer.Store.Get(new("default", "a"))?.Data["key"] == "2" && run.Log.Deletes.ContainsKey("default/b"),
            "the watch brought the changes made between pages");
        Assert.Equal(["a", "c", "d", "e"], run.Informer.Store.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal(1, run.Log.Deletes["default/b"]);
    }

    [Fact]
    public async Task A_continuation_the_server_no_longer_serves_falls_back_to_one_full_list()
    {
        await using var cluster = await Cluster.StartAsync(o => o.WatchHistoryPerResource = 3);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await cluster.CreateConfigMapAsync(name);
        }

        // More changes than the history holds, while the first page is transformed: the first page's version is gone.
        var changed = 0;
        object OutpaceHistory(object obj)
        {
            if (Interlocked.Exchange(ref changed, 1) == 0)
            {
                for (var i = 0; i < 5; i++)
                {
                    cluster.UpdateConfigMapAsync("a", $"v{i}").GetAwaiter().GetResult();
                }
            }

            return obj;
        }

        await using var run = Run(cluster, o =>
        {
            o.PageSize = 2;
            o.Transform = OutpaceHistory;
        });
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        // The first page, the expired second one (not counted: it failed), then everything in one response.
        Assert.Equal(2, run.Informer.ListPages);
        Assert.Equal(3, cluster.Server.Requests.Get("list", "configmaps"));
        Assert.Equal(1, run.Informer.Relists);
        Assert.Equal(["a", "b", "c", "d", "e"], run.Informer.Store.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal("v4", run.Informer.Store.Get(new("default", "a"))!.Data["key"]);
        Assert.Equal(5, run.Log.InitialAdds);
    }

    [Fact]
    public async Task A_dropped_watch_reconnects_from_the_last_version_without_a_relist()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        await using var run = Run(cluster);
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        await Eventually.TrueAsync(() => cluster.Server.Requests.Get("watch", "configmaps") == 1, "the first watch is open");

        cluster.Server.Faults.CloseAllWatches();
        await Eventually.TrueAsync(() => cluster.Server.Requests.Get("watch", "configmaps") >= 2, "the informer re-watched");
        await cluster.CreateConfigMapAsync("after");

        await Eventually.TrueAsync(() => run.Log.Adds.ContainsKey("default/after"), "the object created after the drop is seen");
        Assert.Equal(1, run.Informer.Relists);
        Assert.Equal(1, cluster.Server.Requests.Get("list", "configmaps"));
        Assert.True(run.Informer.WatchRestarts >= 1);
    }

    [Fact]
    public async Task A_watch_the_server_closes_is_reopened_at_once_and_only_an_instant_empty_close_backs_off()
    {
        await using var cluster = await Cluster.StartAsync();
        // Time only moves when the test says so: a backoff would hold the informer until the fake clock is advanced.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var informer = new Informer<V1ConfigMap>(new ResourceClient<V1ConfigMap>(cluster.Client),
            new InformerOptions { InitialBackoff = TimeSpan.FromMinutes(1) }, new Metrics.RuntimeMetrics(), time: time);
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        await Eventually.TrueAsync(() => cluster.Server.Requests.Get("watch", "configmaps") == 1, "the first watch is open");

        // Watches that ran a while and are closed by the server (timeout, restart, load shedding) without a single event:
        // each is re-opened at once, however often it happens.
        for (var i = 2; i <= 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await CloseOpenWatchAsync(cluster, informer);
            await Eventually.TrueAsync(() => cluster.Server.Requests.Get("watch", "configmaps") == i, $"watch {i} opened without waiting");
        }

        // A watch the server closes the instant it opens, with no event, is the one case that waits (client-go's "very
        // short watch"), so a server that refuses to hold watches is not hammered.
        await CloseOpenWatchAsync(cluster, informer);
        Assert.Equal(4, cluster.Server.Requests.Get("watch", "configmaps"));
        time.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => cluster.Server.Requests.Get("watch", "configmaps") == 5, "re-opened after its backoff");
        Assert.Equal(1, informer.Relists);

        await stop.CancelAsync();
        await running.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task A_failing_watch_is_retried_with_backoff_until_the_server_recovers()
    {
        await using var cluster = await Cluster.StartAsync();
        await using var run = Run(cluster, o => o.InitialBackoff = TimeSpan.FromMilliseconds(50));
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        cluster.Server.Faults.AddRule(new FaultRule("watch", "configmaps", 503));

        // Closed again at each look: a watch request that reached the server just before the rule is served normally
        // and may register only after a single close, which would leave the informer on a healthy watch for good.
        await Eventually.TrueAsync(() =>
        {
            cluster.Server.Faults.CloseAllWatches();
            return cluster.Server.Requests.Get("watch", "configmaps") >= 3;
        }, "the informer kept retrying");
        await cluster.CreateConfigMapAsync("while-down");
        cluster.Server.Faults.Clear();

        await Eventually.TrueAsync(() => run.Log.Adds.ContainsKey("default/while-down"), "the change made during the outage is seen");
        Assert.Equal(1, run.Log.Adds["default/while-down"]);
    }

    [Fact]
    public async Task Label_field_and_namespace_selectors_scope_the_cache()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("mine", labels: new() { ["app"] = "x" });
        await cluster.CreateConfigMapAsync("other", labels: new() { ["app"] = "y" });
        await cluster.CreateConfigMapAsync("elsewhere", "kube-system", labels: new() { ["app"] = "x" });
        await using var byLabel = Run(cluster, o => o.LabelSelector = "app=x");
        await using var byNamespace = Run(cluster, o => o.Namespace = "kube-system");
        await using var byField = Run(cluster, o => o.FieldSelector = "metadata.name=other");
        await Task.WhenAll(byLabel.Informer.WaitForSyncAsync(default), byNamespace.Informer.WaitForSyncAsync(default),
            byField.Informer.WaitForSyncAsync(default)).WaitAsync(Eventually.Timeout);

        await cluster.CreateConfigMapAsync("mine2", labels: new() { ["app"] = "x" });
        await cluster.CreateConfigMapAsync("not-mine", labels: new() { ["app"] = "z" });
        await Eventually.TrueAsync(() => byLabel.Informer.Store.Count == 3, "the new matching object is cached");

        Assert.Equal(["elsewhere", "mine", "mine2"], byLabel.Informer.Store.List().Select(c => c.Metadata.Name).Order());
        Assert.Equal(["elsewhere"], byNamespace.Informer.Store.List().Select(c => c.Metadata.Name));
        Assert.Equal(["other"], byField.Informer.Store.List().Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task Bookmarks_advance_the_resource_version_without_object_changes()
    {
        await using var cluster = await Cluster.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        await cluster.CreateConfigMapAsync("a");
        await using var run = Run(cluster);
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        var before = long.Parse(run.Informer.LastResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);

        // A write to another kind moves the server's global version; only a bookmark can tell the configmap watch.
        var secret = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "default" } }, "default");
        var target = long.Parse(secret.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);

        await Eventually.TrueAsync(
            () => long.Parse(run.Informer.LastResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) >= target,
            "a bookmark carried the newer version");
        Assert.True(target > before);
        Assert.Empty(run.Log.Updates);
        Assert.True(run.Metrics.InformerEvents.WithLabels("configmaps", "bookmark").Value >= 1);
    }

    [Fact]
    public async Task Indexes_find_objects_by_owner_and_by_label()
    {
        await using var cluster = await Cluster.StartAsync();
        var owner = await cluster.CreateConfigMapAsync("owner");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child",
                NamespaceProperty = "default",
                Labels = new Dictionary<string, string> { ["tier"] = "x", ["role"] = "child" },
                OwnerReferences = [new V1OwnerReference
                {
                    ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true,
                }],
            },
        }, "default");
        await cluster.CreateConfigMapAsync("loner", labels: new() { ["tier"] = "y" });
        await using var run = Run(cluster);
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        Assert.Equal("child", Assert.Single(run.Informer.Store.ListByOwner(owner.Metadata.Uid)).Metadata.Name);
        Assert.Equal("child", Assert.Single(run.Informer.Store.List(selector: LabelSelector.Parse("tier=x,role"))).Metadata.Name);
        Assert.Equal(["child", "loner"], run.Informer.Store.List(selector: LabelSelector.Parse("tier in (x, y)")).Select(c => c.Metadata.Name).Order());
        Assert.Equal(["loner", "owner"], run.Informer.Store.List(selector: LabelSelector.Parse("role!=child")).Select(c => c.Metadata.Name).Order());
        Assert.Equal(["loner", "owner"], run.Informer.Store.List(selector: LabelSelector.Parse("!role")).Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public async Task An_assumed_write_is_visible_at_once_and_its_watch_event_is_not_handed_out_again()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a", value: "1");
        await using var run = Run(cluster, o => o.InitialBackoff = TimeSpan.FromMilliseconds(50));
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        // Hold the watch back, as a slow watch would be, so only the assume can bring the write into the cache.
        cluster.Server.Faults.AddRule(new FaultRule("watch", "configmaps", 500));
        cluster.Server.Faults.CloseAllWatches();
        var written = await cluster.UpdateConfigMapAsync("a", "2");
        Assert.Equal("1", run.Informer.Store.Get(new("default", "a"))!.Data["key"]);

        Assert.True(run.Informer.Assume(written));
        Assert.Equal("2", run.Informer.Store.Get(new("default", "a"))!.Data["key"]);
        var update = Assert.Single(run.Log.Updates);
        Assert.Equal("1", update.Old.Data["key"]);
        Assert.False(run.Informer.Assume(written), "the same version twice is not news");

        cluster.Server.Faults.Clear();
        await Eventually.TrueAsync(() => run.Informer.LastResourceVersion == written.Metadata.ResourceVersion, "the watch caught up");
        Assert.Single(run.Log.Updates);
        Assert.Equal(written.Metadata.ResourceVersion, run.Informer.Store.Get(new("default", "a"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task An_assumed_copy_older_than_the_cached_one_is_ignored()
    {
        await using var cluster = await Cluster.StartAsync();
        var first = await cluster.CreateConfigMapAsync("a", value: "1");
        await using var run = Run(cluster);
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        var second = await cluster.UpdateConfigMapAsync("a", "2");
        await Eventually.TrueAsync(() => run.Informer.Store.Get(new("default", "a"))!.Data["key"] == "2", "the update is cached");

        Assert.False(run.Informer.Assume(first));
        Assert.False(run.Informer.AssumeDeleted(first), "a delete older than the cached copy is a re-creation's predecessor");
        Assert.Equal(second.Metadata.ResourceVersion, run.Informer.Store.Get(new("default", "a"))!.Metadata.ResourceVersion);
        Assert.Single(run.Log.Updates);
    }

    [Fact]
    public async Task An_assumed_delete_leaves_the_cache_at_once_and_handlers_see_it_once()
    {
        await using var cluster = await Cluster.StartAsync();
        var created = await cluster.CreateConfigMapAsync("a");
        await using var run = Run(cluster, o => o.InitialBackoff = TimeSpan.FromMilliseconds(50));
        await run.Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        cluster.Server.Faults.AddRule(new FaultRule("watch", "configmaps", 500));
        cluster.Server.Faults.CloseAllWatches();

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");
        Assert.True(run.Informer.AssumeDeleted(created));
        Assert.Null(run.Informer.Store.Get(new("default", "a")));

        // A write's response arriving after the object left the cache must not bring it back: nothing would remove it.
        var late = created;
        late.Metadata.ResourceVersion = "999999";
        Assert.False(run.Informer.Assume(late));
        Assert.Null(run.Informer.Store.Get(new("default", "a")));

        cluster.Server.Faults.Clear();
        await cluster.CreateConfigMapAsync("b");
        await Eventually.TrueAsync(() => run.Log.Adds.ContainsKey("default/b"), "the watch caught up past the delete");
        Assert.Equal(1, run.Log.Deletes["default/a"]);
    }

    [Fact]
    public void The_store_never_replaces_a_copy_by_an_older_resource_version()
    {
        var store = new ObjectStore<V1ConfigMap>();
        V1ConfigMap At(string version, string value) => new()
        {
            Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "default", ResourceVersion = version, Labels = new Dictionary<string, string> { ["v"] = value } },
        };

        Assert.True(store.UpsertIfNewer(At("10", "ten"), out var none));
        Assert.Null(none);
        Assert.False(store.UpsertIfNewer(At("9", "nine"), out var kept));
        Assert.Equal("10", kept!.Metadata.ResourceVersion);
        Assert.True(store.UpsertIfNewer(At("11", "eleven"), out _));
        Assert.Equal(["a"], store.List("default", LabelSelector.Parse("v=eleven")).Select(c => c.Metadata.Name));
        Assert.Empty(store.List("default", LabelSelector.Parse("v=ten")));

        Assert.Null(store.RemoveIfNotNewer(At("5", "old")));
        Assert.NotNull(store.RemoveIfNotNewer(At("12", "gone")));
        Assert.Equal(0, store.Count);

        // Versions that are not integers cannot be ordered: the latest write wins, as with Upsert.
        Assert.True(store.UpsertIfNewer(At("x", "opaque"), out _));
        Assert.True(store.UpsertIfNewer(At("3", "three"), out _));
        Assert.Equal("3", store.Get(new("default", "a"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task An_object_that_cannot_be_decoded_is_skipped_and_reported_and_the_rest_of_its_kind_is_cached()
    {
        await using var cluster = await Cluster.StartAsync();
        await Widget.InstallAsync(cluster.Client);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget.New("good", 1), "example.com", "v1", "default", "widgets");
        // The schema lets any JSON in; the model cannot read a size that is not a number, or one beyond int32.
        await CreateRawWidgetAsync(cluster, "listed-bad", "\"huge\"");
        var reported = new ConcurrentQueue<InvalidObject>();
        var metrics = new Metrics.RuntimeMetrics();
        // Watches that would otherwise stay open for ten minutes: events after the bad one must arrive on the same watch.
        var informer = new Informer<Widget>(new ResourceClient<Widget>(cluster.Client, Widget.ResourceKind),
            new InformerOptions { MinWatchTimeout = TimeSpan.FromMinutes(10), OnInvalidObject = reported.Enqueue }, metrics);
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);

        // The list: one unreadable item does not fail the list; the cache syncs with the readable ones.
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        Assert.NotNull(informer.Store.Get(new("default", "good")));
        Assert.Null(informer.Store.Get(new("default", "listed-bad")));
        var listed = Assert.Single(informer.InvalidObjects);
        Assert.Equal(("listed-bad", "spec.size"), (listed.Name, listed.Field));
        Assert.Contains("spec.size", listed.Message, StringComparison.Ordinal);
        Assert.Equal(1, metrics.InvalidObjects.WithLabels(Widget.ResourceKind.Resource).Value);

        // The watch: an unreadable event is skipped and the same watch goes on, without a relist.
        await CreateRawWidgetAsync(cluster, "watched-bad", "4294967296");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget.New("after", 2), "example.com", "v1", "default", "widgets");
        await Eventually.TrueAsync(() => informer.Store.Get(new("default", "after")) is not null, "the object created after the bad one is cached");
        Assert.Null(informer.Store.Get(new("default", "watched-bad")));
        Assert.Equal(1, informer.Relists);
        Assert.Equal(1, cluster.Server.Requests.Get("watch", "widgets"));
        Assert.Equal(["listed-bad", "watched-bad"], reported.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, metrics.InvalidObjects.WithLabels(Widget.ResourceKind.Resource).Value);

        // Fixed: the object reaches the cache and is no longer counted.
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"size":3}}""", V1Patch.PatchType.MergePatch),
            "example.com", "v1", "default", "widgets", "watched-bad");
        await Eventually.TrueAsync(() => informer.Store.Get(new("default", "watched-bad"))?.Spec?.Size == 3, "the fixed object reached the cache");
        Assert.Equal(1, metrics.InvalidObjects.WithLabels(Widget.ResourceKind.Resource).Value);

        await stop.CancelAsync();
        await running.WaitAsync(Eventually.Timeout);
    }

    // A watch is counted when its request arrives, a moment before the server can close it: close until it has ended.
    private static async Task CloseOpenWatchAsync(Cluster cluster, Informer<V1ConfigMap> informer)
    {
        var ended = informer.WatchRestarts;
        await Eventually.TrueAsync(() =>
        {
            if (informer.WatchRestarts > ended)
            {
                return true;
            }

            cluster.Server.Faults.CloseAllWatches();
            return false;
        }, "the open watch ended");
    }

    private static Task<object> CreateRawWidgetAsync(Cluster cluster, string name, string size) =>
        cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse($$$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"{{{name}}}"},"spec":{"size":{{{size}}}}}""")!,
            "example.com", "v1", "default", "widgets");

    private static InformerRun Run(Cluster cluster, Action<InformerOptions>? configure = null)
    {
        var options = new InformerOptions();
        configure?.Invoke(options);
        var metrics = new Metrics.RuntimeMetrics();
        var informer = new Informer<V1ConfigMap>(new ResourceClient<V1ConfigMap>(cluster.Client), options, metrics);
        var log = new EventLog();
        informer.AddHandler(log);
        var stop = new CancellationTokenSource();
        return new InformerRun(informer, log, metrics, stop, informer.RunAsync(stop.Token));
    }

    internal sealed record InformerRun(Informer<V1ConfigMap> Informer, EventLog Log, Metrics.RuntimeMetrics Metrics,
        CancellationTokenSource Stop, Task Task) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Task.WaitAsync(Eventually.Timeout);
            Stop.Dispose();
        }
    }

    internal sealed class EventLog : IResourceHandler<V1ConfigMap>
    {
        private int _initialAdds;

        public ConcurrentDictionary<string, int> Adds { get; } = new();

        public ConcurrentDictionary<string, int> Deletes { get; } = new();

        public ConcurrentQueue<(V1ConfigMap Old, V1ConfigMap New)> Updates { get; } = new();

        public int InitialAdds => _initialAdds;

        public void OnAdd(V1ConfigMap obj, bool isInInitialList)
        {
            Adds.AddOrUpdate(Key(obj), 1, (_, n) => n + 1);
            if (isInInitialList)
            {
                Interlocked.Increment(ref _initialAdds);
            }
        }

        public void OnUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) => Updates.Enqueue((oldObj, newObj));

        public void OnDelete(V1ConfigMap obj) => Deletes.AddOrUpdate(Key(obj), 1, (_, n) => n + 1);

        private static string Key(V1ConfigMap obj) => $"{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}";
    }
}
