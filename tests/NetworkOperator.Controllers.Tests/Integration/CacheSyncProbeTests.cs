using System.Net;
using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api;
using NetworkOperator.Simulator.Diagnostics;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// Every cache of the operator (managed kinds, driver and NIC configuration pods) is an informer of the manager, so
/// the probes answer while those caches sync and readiness waits for all of them.
/// </summary>
public sealed class CacheSyncProbeTests
{
    [Fact]
    public async Task Probes_are_served_while_the_pod_caches_sync_and_readiness_waits_for_them()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync(OperatorFixture.MultusOnlyPolicy);
        // Only pods fail to list: every other cache syncs, the two pod informers cannot.
        fx.Server.Faults.AddRule(new FaultRule("list", "pods", 503));

        var host = await fx.StartOperatorAsync(healthProbeBindAddress: "127.0.0.1:0");
        var podInformers = host.Manager.Cache.Informers.Where(i => i.Kind == ResourceKinds.For<V1Pod>()).ToList();
        Assert.Equal(2, podInformers.Count);
        await host.Manager.Started.WaitAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = host.Manager.EndpointAddresses[0] };

        var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("caches not synced", await notReady.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.All(podInformers, i => Assert.False(i.HasSynced));

        fx.Server.Faults.Clear();
        await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            "ready once the pod caches sync");
        Assert.All(podInformers, i => Assert.True(i.HasSynced));
        await Eventually.TrueAsync(async () =>
            (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]?.GetValue<string>() == "ready",
            "the policy reconciled to ready", Eventually.LongTimeout);
    }
}
