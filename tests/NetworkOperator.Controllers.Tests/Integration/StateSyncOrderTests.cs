using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// How a policy's states are synced: the driver state starts before the others whatever its place in the list (every
/// other component waits for the driver), results keep the list's order, a state's DaemonSets are all applied, and a
/// pass whose render inputs are unchanged applies the previous render instead of rendering again.
/// </summary>
public sealed class StateSyncOrderTests
{
    [Fact]
    public async Task The_driver_state_starts_among_the_first_even_when_listed_last_and_results_keep_the_list_order()
    {
        var (fx, cache, sync, owner) = await StartAsync();
        await using var _ = fx;
        await using var __ = cache;

        // One more state than run at once, the driver last: listed order would start it only after another finished.
        var names = Enumerable.Range(0, StateSynchronizer.StateParallelism).Select(i => $"state-test-{i}").Append(StateNames.Ofed).ToList();
        // Every other state holds its slot until the driver has rendered: were the driver not given one of the first
        // slots, all of them would wait for it in vain. (Render order alone is a race: a slot's thread can be slow to
        // render while another finishes and the next state starts.)
        using var driverRendered = new ManualResetEventSlim();
        var waitedInVain = new ConcurrentQueue<string>();
        List<(string State, string? DsOwner, Func<RenderResult>? Render)> states = [.. names.Select(name =>
            (name, (string?)null, (Func<RenderResult>?)(() =>
            {
                if (name == StateNames.Ofed)
                {
                    driverRendered.Set();
                }
                else if (!driverRendered.Wait(TimeSpan.FromSeconds(15)))
                {
                    waitedInVain.Enqueue(name);
                }

                return new RenderResult(name, [ConfigMap($"cm-{name.ToLowerInvariant()}", name)]);
            })))];

        var results = await sync.SyncAllAsync(owner, states, CancellationToken.None);

        Assert.Equal(names, results.Select(r => r.Name));
        Assert.Empty(waitedInVain);
    }

    [Fact]
    public async Task Every_DaemonSet_of_a_state_is_applied_and_reported_with_the_objects_around_it()
    {
        var (fx, cache, sync, owner) = await StartAsync();
        await using var _ = fx;
        await using var __ = cache;
        const string state = "state-test";
        var pools = Enumerable.Range(0, StateSynchronizer.DaemonSetParallelism * 2 + 1).Select(i => $"pool-{i}").ToList();
        IKubernetesObject<V1ObjectMeta>[] objects = [ConfigMap("before", state), .. pools.Select(p => DaemonSet(p, state)), ConfigMap("after", state)];

        var result = await sync.SyncAsync(owner, state, null, () => new RenderResult(state, objects), CancellationToken.None);

        var daemonSets = (await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items.Select(d => d.Metadata.Name);
        Assert.Equal(pools.Order(StringComparer.Ordinal), daemonSets.Order(StringComparer.Ordinal));
        var configMaps = (await fx.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorFixture.Namespace)).Items.Select(c => c.Metadata.Name);
        Assert.Contains("before", configMaps);
        Assert.Contains("after", configMaps);
        Assert.Equal(SyncStates.NotReady, result.State);
        Assert.StartsWith("DaemonSet pool-0, DaemonSet pool-1, ", result.Message, StringComparison.Ordinal);
        Assert.Contains($" and {pools.Count - StatusMessages.MaxNamesListed} more: ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task States_that_wait_for_the_driver_are_left_alone_while_nodes_await_it_and_the_others_sync()
    {
        var (fx, cache, sync, owner) = await StartAsync();
        await using var _ = fx;
        await using var __ = cache;
        string[] names = [StateNames.Ofed, StateNames.RdmaDevicePlugin, StateNames.NvIpamCni, StateNames.DocaTelemetryService];
        var rendered = new ConcurrentQueue<string>();
        List<(string State, string? DsOwner, Func<RenderResult>? Render)> states = [.. names.Select(name =>
            (name, (string?)null, (Func<RenderResult>?)(() =>
            {
                rendered.Enqueue(name);
                return new RenderResult(name, [ConfigMap($"cm-{name.ToLowerInvariant()}", name)]);
            })))];
        var asked = 0;

        var results = await sync.SyncAllAsync(owner, states, CancellationToken.None, awaitsDriver: () => ++asked > 0);

        Assert.Equal(1, asked);
        Assert.Equal(names, results.Select(r => r.Name));
        Assert.Equal([StateNames.Ofed, StateNames.NvIpamCni], rendered.Order(StringComparer.Ordinal));
        foreach (var waiting in results.Where(r => r.Name is StateNames.RdmaDevicePlugin or StateNames.DocaTelemetryService))
        {
            Assert.Equal(SyncStates.NotReady, waiting.State);
            Assert.Equal(StateSynchronizer.AwaitingDriverMessage, waiting.Message);
        }

        var configMaps = (await fx.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorFixture.Namespace)).Items.Select(c => c.Metadata.Name).ToList();
        Assert.DoesNotContain($"cm-{StateNames.RdmaDevicePlugin.ToLowerInvariant()}", configMaps);
        Assert.Contains($"cm-{StateNames.NvIpamCni.ToLowerInvariant()}", configMaps);

        // Once no node awaits the driver, they sync; a pass with no state that waits for the driver does not ask.
        results = await sync.SyncAllAsync(owner, states, CancellationToken.None, awaitsDriver: () => false);
        Assert.All(results, r => Assert.NotEqual(StateSynchronizer.AwaitingDriverMessage, r.Message));
        Assert.Contains(StateNames.RdmaDevicePlugin, rendered);
        asked = 0;
        await sync.SyncAllAsync(owner, [states[0], states[2], (StateNames.RdmaDevicePlugin, null, null)], CancellationToken.None,
            awaitsDriver: () => ++asked > 0);
        Assert.Equal(0, asked);
    }

    [Fact]
    public async Task A_pass_with_the_same_inputs_digest_reuses_the_render_and_still_restores_what_was_deleted()
    {
        var (fx, cache, sync, owner) = await StartAsync();
        await using var _ = fx;
        await using var __ = cache;
        const string state = "state-test";
        var renders = 0;
        RenderResult Render()
        {
            renders++;
            return new RenderResult(state, [ConfigMap("memo", state)]);
        }

        await sync.SyncAsync(owner, state, null, Render, CancellationToken.None, "digest-1");
        Assert.Equal(1, renders);
        await sync.SyncAsync(owner, state, null, Render, CancellationToken.None, "digest-1");
        Assert.Equal(1, renders);
        Assert.Equal(1, sync.RendersReused);

        // Level-based still: the kept render is applied, so a deleted object comes back without a render.
        await fx.Client.CoreV1.DeleteNamespacedConfigMapAsync("memo", OperatorFixture.Namespace);
        await Eventually.TrueAsync(() => Task.FromResult(cache.Get(ManagedKinds.ConfigMap, OperatorFixture.Namespace, "memo") is null), "deletion cached");
        await sync.SyncAsync(owner, state, null, Render, CancellationToken.None, "digest-1");
        Assert.Equal(1, renders);
        var restored = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("memo", OperatorFixture.Namespace);
        Assert.Equal("value", restored.Data["key"]);
        Assert.Equal(owner.Uid, Assert.Single(restored.Metadata.OwnerReferences).Uid);

        await sync.SyncAsync(owner, state, null, Render, CancellationToken.None, "digest-2");
        Assert.Equal(2, renders);
        await sync.SyncAsync(owner, state, null, Render, CancellationToken.None);
        await sync.SyncAsync(owner, state, null, Render, CancellationToken.None);
        Assert.Equal(4, renders);
        Assert.Equal(4, sync.Renders);
    }

    [Fact]
    public void An_apply_gets_a_copy_of_the_kept_render_that_serializes_the_same_and_shares_nothing_it_may_change()
    {
        var account = KubeObject.From(new V1ServiceAccount
        {
            ApiVersion = "v1",
            Kind = "ServiceAccount",
            Metadata = Meta("account", "state-test"),
            AutomountServiceAccountToken = false,
        });
        account.Metadata.Finalizers = ["example.com/keep"];
        var daemonSet = KubeObject.From(DaemonSet("pool", "state-test"));
        foreach (var prototype in new[] { account, daemonSet })
        {
            var before = KubernetesJson.Serialize(prototype);
            var copy = StateSynchronizer.Fresh(prototype);
            Assert.Equal(before, KubernetesJson.Serialize(copy));

            copy.Metadata.OwnerReferences = [new V1OwnerReference { Name = "p", Uid = "u", Kind = "K", ApiVersion = "v1" }];
            copy.Metadata.ResourceVersion = "42";
            copy.Metadata.Labels["added"] = "x";
            copy.Metadata.Annotations["added"] = "x";
            copy.Metadata.Finalizers?.Add("example.com/other");
            copy.Fields!["secrets"] = System.Text.Json.JsonDocument.Parse("[]").RootElement;
            Assert.Equal(before, KubernetesJson.Serialize(prototype));
        }
    }

    private static async Task<(OperatorFixture Fx, SharedInformerFactory Cache, StateSynchronizer Sync, Owner Owner)> StartAsync()
    {
        var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.ApplyYamlAsync(OperatorFixture.NvIpamOnlyPolicy);
        var policy = KubernetesJson.Deserialize<NicClusterPolicy>((await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))!.ToJsonString());
        var cache = new SharedInformerFactory(fx.Client, new RuntimeMetrics(new Prometheus.CollectorRegistry()));
        cache.Configure(ManagedKinds.ConfigMap, o => o.Namespace = OperatorFixture.Namespace).GetInformer(ManagedKinds.ConfigMap);
        cache.Configure(ManagedKinds.DaemonSet, o => o.Namespace = OperatorFixture.Namespace).GetInformer(ManagedKinds.DaemonSet);
        cache.Start();
        await cache.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var applier = new ObjectApplier(fx.Client, cache, NullLogger.Instance, _ => false);
        return (fx, cache, new StateSynchronizer(applier, NullLogger.Instance), Owner.Of(policy));
    }

    private static V1ObjectMeta Meta(string name, string state) => new()
    {
        Name = name,
        NamespaceProperty = OperatorFixture.Namespace,
        Labels = new Dictionary<string, string> { [Labels.State] = state, ["app"] = name },
        Annotations = new Dictionary<string, string> { [Annotations.Revision] = "1" },
    };

    private static V1ConfigMap ConfigMap(string name, string state) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta(name, state),
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };

    private static V1DaemonSet DaemonSet(string name, string state) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = Meta(name, state),
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "example.com/image:1" }] },
            },
        },
    };
}
