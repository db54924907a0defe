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
using NetworkOperator.Simulator.Diagnostics;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// The applier's cache can be a step behind the server when it updates an object (a workload controller's status
/// write, or the edit being undone, landed in between): the server answers 409 Conflict. The applier decides once
/// more on the server's copy and writes, instead of failing the component's state for that race.
/// </summary>
public sealed class ApplyConflictTests
{
    private static KubeObject ConfigMap(string value) => KubeObject.From(new V1ConfigMap
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = "settings",
            NamespaceProperty = OperatorFixture.Namespace,
            Labels = new Dictionary<string, string> { [Labels.State] = "state-test" },
            Annotations = new Dictionary<string, string> { [Annotations.Revision] = value },
        },
        Data = new Dictionary<string, string> { ["key"] = value },
    });

    [Fact]
    public async Task An_update_from_a_stale_cache_is_decided_again_on_the_servers_copy()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.ApplyYamlAsync(OperatorFixture.NvIpamOnlyPolicy);
        var policy = KubernetesJson.Deserialize<NicClusterPolicy>((await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))!.ToJsonString());
        var owner = Owner.Of(policy);

        await using var cache = new SharedInformerFactory(fx.Client, new RuntimeMetrics(new Prometheus.CollectorRegistry()));
        cache.Configure(ManagedKinds.ConfigMap, o => o.Namespace = OperatorFixture.Namespace).GetInformer(ManagedKinds.ConfigMap);
        cache.Start();
        await cache.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var applier = new ObjectApplier(fx.Client, cache, NullLogger.Instance, _ => false);
        var created = await applier.ApplyAsync(ManagedKinds.ConfigMap, ConfigMap("1"), owner, "state-test", CancellationToken.None);
        Assert.Equal(ApplyAction.Create, created.Action);

        // From here the cache sees nothing: its watch is closed and cannot be opened again, nor the kind listed.
        fx.Cluster.Server.Faults.AddRule(new FaultRule("watch", "configmaps", 503));
        fx.Cluster.Server.Faults.AddRule(new FaultRule("list", "configmaps", 503));
        fx.Cluster.Server.Faults.CloseAllWatches();

        // Someone else writes meanwhile; the cache still holds the created version.
        await fx.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"annotations":{"example.com/seen":"yes"}}}""", V1Patch.PatchType.MergePatch),
            "settings", OperatorFixture.Namespace);
        var updated = await applier.ApplyAsync(ManagedKinds.ConfigMap, ConfigMap("2"), owner, "state-test", CancellationToken.None);
        Assert.Equal(ApplyAction.Update, updated.Action);
        var live = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", OperatorFixture.Namespace);
        Assert.Equal("2", live.Data["key"]);
        Assert.Equal(live.Metadata.ResourceVersion, updated.Live.Metadata.ResourceVersion);

        // Another writer (a second replica a moment before losing its lease) already put the next revision: after the
        // conflict the server's copy needs nothing, so nothing is written.
        await fx.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"metadata":{"annotations":{"{{{Annotations.Revision}}}":"3"}},"data":{"key":"3"}}""",
            V1Patch.PatchType.MergePatch), "settings", OperatorFixture.Namespace);
        var before = (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", OperatorFixture.Namespace)).Metadata.ResourceVersion;
        var again = await applier.ApplyAsync(ManagedKinds.ConfigMap, ConfigMap("3"), owner, "state-test", CancellationToken.None);
        Assert.Equal(ApplyAction.Unchanged, again.Action);
        Assert.Equal(before, (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", OperatorFixture.Namespace)).Metadata.ResourceVersion);
    }
}
