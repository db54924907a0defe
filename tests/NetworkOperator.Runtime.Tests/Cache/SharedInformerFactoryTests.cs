using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.Cache;

public class SharedInformerFactoryTests
{
    private static readonly ResourceKind ConfigMaps = ResourceKinds.For<V1ConfigMap>();

    [Fact]
    public async Task Typed_and_unstructured_informers_of_any_kind_come_from_one_factory_keyed_by_kind()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a", value: "1");
        await using var factory = new SharedInformerFactory(cluster.Client);
        var typed = factory.GetInformer<V1ConfigMap>();
        var unstructured = factory.GetInformer(ConfigMaps);
        Assert.Same(typed, factory.GetInformer<V1ConfigMap>());
        Assert.Same(unstructured, factory.GetInformer(ConfigMaps with { }));
        Assert.Same(unstructured, factory.FindInformer(ConfigMaps));
        Assert.Null(factory.FindInformer(ResourceKinds.For<V1Secret>()));
        Assert.Equal([ConfigMaps], factory.UnstructuredKinds);

        factory.Start();
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        Assert.Equal("1", factory.Get<V1ConfigMap>("default", "a")!.Data["key"]);
        var obj = factory.Get(ConfigMaps, "default", "a");
        Assert.IsType<KubeObject>(obj);
        Assert.Equal("1", obj!.Field("data")!.Value.GetProperty("key").GetString());
        Assert.True(factory.Serves(ConfigMaps));
        Assert.False(factory.Serves(ResourceKinds.For<V1Secret>()));
        Assert.Empty(factory.List(ResourceKinds.For<V1Secret>()));

        await cluster.CreateConfigMapAsync("b");
        await Eventually.TrueAsync(() => factory.List(ConfigMaps, @namespace: "default").Count == 2 && factory.List<V1ConfigMap>("default").Count == 2,
            "both views see the new object");
    }

    [Fact]
    public async Task Several_scoped_informers_of_one_kind_each_keep_their_own_selector_and_transform()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("red", labels: new() { ["color"] = "red" });
        await cluster.CreateConfigMapAsync("blue", labels: new() { ["color"] = "blue" });
        await cluster.CreateConfigMapAsync("plain");
        await using var factory = new SharedInformerFactory(cluster.Client);
        factory.Configure<V1ConfigMap>("red", o => o.LabelSelector = "color=red");
        factory.Configure<V1ConfigMap>("blue", o =>
        {
            o.LabelSelector = "color=blue";
            o.Transform = obj => obj is V1ConfigMap c ? new V1ConfigMap { Metadata = c.Metadata } : obj;
        });
        var red = factory.GetInformer<V1ConfigMap>("red");
        var blue = factory.GetInformer<V1ConfigMap>("blue");
        var all = factory.GetInformer<V1ConfigMap>();
        Assert.NotSame(red, blue);
        Assert.NotSame(red, all);
        Assert.Equal(3, factory.Informers.Count);

        factory.Start();
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        Assert.Equal(["red"], red.Store.List().Select(c => c.Metadata.Name));
        Assert.Equal(["blue"], blue.Store.List().Select(c => c.Metadata.Name));
        Assert.Null(blue.Store.List()[0].Data);
        Assert.Equal(["blue", "plain", "red"], all.Store.List("default").Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_shaped_informer_decodes_only_its_shape_from_lists_and_watches()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("listed", labels: new() { ["color"] = "red" }, value: "big");
        await using var factory = new SharedInformerFactory(cluster.Client);
        factory.Configure<V1ConfigMap>(o => o.Shape = JsonShape.Of(("metadata", JsonShape.Of("name", "namespace", "resourceVersion"))));
        var informer = factory.GetInformer<V1ConfigMap>();
        factory.Start();
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        var listed = Assert.Single(informer.Store.List());
        Assert.Equal(("listed", "default"), (listed.Metadata.Name, listed.Metadata.NamespaceProperty));
        Assert.Null(listed.Metadata.Labels);
        Assert.Null(listed.Data);

        var created = await cluster.CreateConfigMapAsync("watched", labels: new() { ["color"] = "blue" });
        await Eventually.TrueAsync(() => informer.Store.List().Count == 2, "the watched object arrives");
        var watched = informer.Store.List().Single(c => c.Metadata.Name == "watched");
        Assert.Equal(created.Metadata.ResourceVersion, watched.Metadata.ResourceVersion);
        Assert.Null(watched.Metadata.Labels);
        Assert.Null(watched.Data);
        Assert.Null(watched.Metadata.Uid);
    }

    [Fact]
    public async Task Informers_requested_after_start_are_started_and_waited_for()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        await using var factory = new SharedInformerFactory(cluster.Client);
        factory.Start();
        var late = factory.GetInformer(ConfigMaps);
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);
        Assert.True(late.HasSynced);
        Assert.NotNull(factory.Get(ConfigMaps, "default", "a"));
    }

    [Fact]
    public async Task Configuring_an_informer_that_already_exists_is_refused()
    {
        await using var cluster = await Cluster.StartAsync();
        await using var factory = new SharedInformerFactory(cluster.Client);
        factory.GetInformer(ConfigMaps);
        factory.GetInformer<V1ConfigMap>("scoped");
        Assert.Throws<InvalidOperationException>(() => factory.Configure(ConfigMaps, o => o.Namespace = "x"));
        Assert.Throws<InvalidOperationException>(() => factory.Configure<V1ConfigMap>("scoped", o => o.Namespace = "x"));

        // The typed default informer of the same kind is a different informer and can still be configured.
        factory.Configure<V1ConfigMap>(o => o.Namespace = "x");
        Assert.Equal("x", factory.GetInformer<V1ConfigMap>().Options.Namespace);
    }

    [Fact]
    public async Task Objects_controlled_by_an_owner_are_found_across_every_unstructured_kind()
    {
        await using var cluster = await Cluster.StartAsync();
        var owner = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = "uid-1", Controller = true };
        var owned = await cluster.CreateConfigMapAsync("owned", labels: new() { ["state"] = "x" });
        owned.Metadata.OwnerReferences = [owner];
        await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(owned, "owned", "default");
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "owned-secret", OwnerReferences = [owner] } };
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");
        await cluster.CreateConfigMapAsync("other");
        await using var factory = new SharedInformerFactory(cluster.Client);
        factory.GetInformer(ConfigMaps);
        factory.GetInformer(ResourceKinds.For<V1Secret>());
        factory.Start();
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(Eventually.Timeout);

        Assert.Equal(["ConfigMap/default/owned", "Secret/default/owned-secret"],
            factory.ControlledBy("uid-1").Select(o => o.Object.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["ConfigMap/default/owned"], factory.ControlledBy("uid-1", LabelSelector.Parse("state=x")).Select(o => o.Object.ToString()));
    }
}
