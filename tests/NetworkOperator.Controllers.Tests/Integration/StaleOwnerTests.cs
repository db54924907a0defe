using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// A reconcile pass renders from its cached owner; by the time it creates something the owner may be gone, being
/// deleted or edited. The applier then creates nothing (the pass ends), while a current owner's objects are created.
/// </summary>
public sealed class StaleOwnerTests
{
    private static KubeObject ConfigMap(string name) => KubeObject.From(new V1ConfigMap
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = OperatorFixture.Namespace,
            Labels = new Dictionary<string, string> { [Labels.State] = "state-test" },
            Annotations = new Dictionary<string, string> { [Annotations.Revision] = "1" },
        },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    });

    private static async Task<(OperatorFixture Fx, SharedInformerFactory Cache, ObjectApplier Applier, NicClusterPolicy Policy)> StartAsync()
    {
        var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.ApplyYamlAsync(OperatorFixture.NvIpamOnlyPolicy);
        var policy = KubernetesJson.Deserialize<NicClusterPolicy>((await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))!.ToJsonString());
        var cache = new SharedInformerFactory(fx.Client, new RuntimeMetrics(new Prometheus.CollectorRegistry()));
        cache.Configure(ManagedKinds.ConfigMap, o => o.Namespace = OperatorFixture.Namespace).GetInformer(ManagedKinds.ConfigMap);
        cache.Start();
        await cache.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return (fx, cache, new ObjectApplier(fx.Client, cache, NullLogger.Instance, _ => false), policy);
    }

    private static async Task<bool> ExistsAsync(OperatorFixture fx, string name) =>
        (await fx.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorFixture.Namespace, fieldSelector: $"metadata.name={name}")).Items.Count > 0;

    [Fact]
    public async Task Nothing_is_created_for_an_owner_that_was_deleted_or_edited_after_rendering()
    {
        var (fx, cache, applier, policy) = await StartAsync();
        await using var _ = fx;
        await using var __ = cache;
        var sync = new StateSynchronizer(applier, NullLogger.Instance);
        var rendered = Owner.Of(policy);

        // The policy is edited after the pass read it: the rendered state may no longer be wanted.
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec":{"nvIpam":{"version":"v0.4.0"}}}""", V1Patch.PatchType.MergePatch),
            "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        var edited = await Assert.ThrowsAsync<OwnerChangedException>(() =>
            applier.ApplyAsync(ManagedKinds.ConfigMap, ConfigMap("after-edit"), rendered, "state-test", CancellationToken.None));
        Assert.Contains("changed", edited.Message, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(fx, "after-edit"));

        // The owner as it is now: its objects are created.
        var current = rendered with { Generation = rendered.Generation + 1 };
        var created = await applier.ApplyAsync(ManagedKinds.ConfigMap, ConfigMap("current"), current, "state-test", CancellationToken.None);
        Assert.Equal(ApplyAction.Create, created.Action);
        Assert.True(await ExistsAsync(fx, "current"));

        // Deleted: garbage collection removes what it owned, and a pass from the stale copy brings nothing back (the
        // state synchronizer ends the pass instead of reporting a failed state).
        await fx.Client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await Eventually.TrueAsync(async () => !await ExistsAsync(fx, "current"), "owned ConfigMap garbage-collected");
        await Eventually.TrueAsync(() => Task.FromResult(cache.Get(ManagedKinds.ConfigMap, OperatorFixture.Namespace, "current") is null), "cache saw the deletion");
        var deleted = await Assert.ThrowsAsync<OwnerChangedException>(() => sync.SyncAsync(current, "state-test", null,
            () => new Rendering.RenderResult("state-test", [ConfigMap("current")]), CancellationToken.None));
        Assert.Contains("deleted", deleted.Message, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(fx, "current"));
    }

    [Fact]
    public async Task Nothing_is_created_for_an_owner_being_deleted()
    {
        var (fx, cache, applier, policy) = await StartAsync();
        await using var _ = fx;
        await using var __ = cache;
        // A finalizer keeps the policy in the deleting state, as foreground deletion or another controller would.
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":["example.com/hold"]}}""", V1Patch.PatchType.MergePatch),
            "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await fx.Client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);

        var deleting = await Assert.ThrowsAsync<OwnerChangedException>(() =>
            applier.ApplyAsync(ManagedKinds.ConfigMap, ConfigMap("while-deleting"), Owner.Of(policy), "state-test", CancellationToken.None));
        Assert.Contains("being deleted", deleting.Message, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(fx, "while-deleting"));

        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch),
            "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
    }
}
