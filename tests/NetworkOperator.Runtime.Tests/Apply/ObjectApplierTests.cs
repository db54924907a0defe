using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Tests.Apply;

public class ObjectApplierTests
{
    private const string RevisionKey = "nvidia.network-operator.revision";

    [Fact]
    public async Task A_second_apply_of_the_same_object_reads_the_cache_and_writes_nothing()
    {
        await using var cluster = await Cluster.StartAsync();
        await using var cache = new SharedInformerFactory(cluster.Client);
        var informer = cache.GetInformer<V1ConfigMap>();
        cache.Start();
        await cache.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        var applier = new ObjectApplier(cluster.Client, cache, RevisionKey);

        var first = await applier.ApplyAsync(ConfigMap("v1"));
        Assert.Equal(ApplyOutcome.Created, first.Outcome);
        Assert.Equal(first.Revision, first.Live.Metadata.Annotations[RevisionKey]);
        await Eventually.TrueAsync(() => informer.Store.Get(new("default", "cm")) is not null, "the cache saw the object");

        cluster.Server.Requests.Reset();
        var second = await applier.ApplyAsync(ConfigMap("v1"));

        Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(0, cluster.Server.Requests.Writes());
        Assert.Equal(0, cluster.Server.Requests.Total("get"));
    }

    [Fact]
    public async Task A_changed_object_gets_a_new_revision_and_one_update()
    {
        await using var cluster = await Cluster.StartAsync();
        await using var cache = new SharedInformerFactory(cluster.Client);
        var informer = cache.GetInformer<V1ConfigMap>();
        cache.Start();
        await cache.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
        var applier = new ObjectApplier(cluster.Client, cache, RevisionKey);
        var first = await applier.ApplyAsync(ConfigMap("v1"));
        await Eventually.TrueAsync(() => informer.Store.Get(new("default", "cm")) is not null, "the cache saw the object");

        cluster.Server.Requests.Reset();
        var second = await applier.ApplyAsync(ConfigMap("v2"));

        Assert.Equal(ApplyOutcome.Updated, second.Outcome);
        Assert.NotEqual(first.Revision, second.Revision);
        Assert.Equal(1, cluster.Server.Requests.Get("update", "configmaps"));
        Assert.Equal(1, cluster.Server.Requests.Writes());
        var live = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("cm", "default");
        Assert.Equal("v2", live.Data["key"]);
        Assert.Equal(second.Revision, live.Metadata.Annotations[RevisionKey]);
    }

    [Fact]
    public async Task A_caller_supplied_revision_is_used_as_is()
    {
        await using var cluster = await Cluster.StartAsync();
        var applier = new ObjectApplier(cluster.Client, null, RevisionKey);
        var desired = ConfigMap("v1");
        desired.Metadata.Annotations = new Dictionary<string, string> { [RevisionKey] = "rev-7" };

        var first = await applier.ApplyAsync(desired);
        desired.Data["key"] = "ignored because the revision is the same";
        cluster.Server.Requests.Reset();
        var second = await applier.ApplyAsync(desired);

        Assert.Equal("rev-7", first.Revision);
        Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
        Assert.Equal(0, cluster.Server.Requests.Writes());
    }

    [Fact]
    public async Task Without_a_cache_the_applier_reads_with_one_get_and_still_writes_nothing_when_unchanged()
    {
        await using var cluster = await Cluster.StartAsync();
        var applier = new ObjectApplier(cluster.Client, null, RevisionKey);
        await applier.ApplyAsync(ConfigMap("v1"));

        cluster.Server.Requests.Reset();
        var again = await applier.ApplyAsync(ConfigMap("v1"));

        Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
        Assert.Equal(0, cluster.Server.Requests.Writes());
        Assert.Equal(1, cluster.Server.Requests.Get("get", "configmaps"));
    }

    [Fact]
    public async Task Status_is_written_through_the_subresource_only_when_it_changed()
    {
        await using var cluster = await Cluster.StartAsync();
        await Widget.InstallAsync(cluster.Client);
        var applier = new ObjectApplier(cluster.Client, null, RevisionKey);
        var created = (await applier.ApplyAsync(Widget.New("w", 3))).Live;

        var withStatus = KubeObjects.Clone(created);
        withStatus.Status = new WidgetStatus { State = "ready" };
        withStatus.Spec!.Size = 99;
        cluster.Server.Requests.Reset();

        Assert.True(await applier.UpdateStatusAsync(withStatus));
        Assert.False(await applier.UpdateStatusAsync(withStatus));

        Assert.Equal(1, cluster.Server.Requests.Writes());
        var live = await new ResourceClient<Widget>(cluster.Client).GetAsync("default", "w");
        Assert.Equal("ready", live!.Status!.State);
        Assert.Equal(3, live.Spec!.Size);
    }

    [Fact]
    public async Task Custom_resources_round_trip_through_the_generic_client()
    {
        await using var cluster = await Cluster.StartAsync();
        await Widget.InstallAsync(cluster.Client);
        var client = new ResourceClient<Widget>(cluster.Client);

        await client.CreateAsync(Widget.New("a", 1));
        await client.CreateAsync(Widget.New("b", 2));
        var list = await client.ListAsync("default");
        var b = await client.GetAsync("default", "b");
        b!.Spec!.Size = 5;
        await client.ReplaceAsync(b);
        Assert.True(await client.DeleteAsync("default", "a"));
        Assert.False(await client.DeleteAsync("default", "a"));

        Assert.Equal(["a", "b"], list.Items.Select(w => w.Metadata.Name).Order());
        Assert.Equal(5, (await client.GetAsync("default", "b"))!.Spec!.Size);
        Assert.Null(await client.GetAsync("default", "a"));
    }

    [Fact]
    public void Revisions_ignore_server_fields_and_key_order()
    {
        var a = ConfigMap("v");
        var b = ConfigMap("v");
        b.Metadata.ResourceVersion = "42";
        b.Metadata.Uid = "u";
        b.Metadata.Labels = new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" };
        a.Metadata.Labels = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" };

        Assert.Equal(KubeObjects.Revision(a, RevisionKey), KubeObjects.Revision(b, RevisionKey));
        b.Data["key"] = "other";
        Assert.NotEqual(KubeObjects.Revision(a, RevisionKey), KubeObjects.Revision(b, RevisionKey));
    }

    private static V1ConfigMap ConfigMap(string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "default" },
        Data = new Dictionary<string, string> { ["key"] = value },
    };
}
