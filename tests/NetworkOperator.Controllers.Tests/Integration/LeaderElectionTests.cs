using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Integration;

public sealed class LeaderElectionTests
{
    [Fact]
    public async Task OnlyTheLeaderWritesAndTheStandbyTakesOver()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        var first = await fx.StartOperatorAsync(leaderElect: true, identity: "first");
        await Eventually.TrueAsync(() => Task.FromResult(first.Manager.IsLeader), "first instance leads");
        var second = await fx.StartOperatorAsync(leaderElect: true, identity: "second");
        // The standby has read the lease and keeps trying: both replicas read it several more times meanwhile.
        await Eventually.TrueAsync(() => second.Manager.Elector!.Leader == "first", "the standby sees the leader");
        var leaseReads = fx.Server.Requests.Get("get", "leases");
        await Eventually.TrueAsync(() => fx.Server.Requests.Get("get", "leases") >= leaseReads + 10, "ten more lease reads");
        Assert.True(first.Manager.IsLeader);
        Assert.False(second.Manager.IsLeader);

        await fx.ApplyYamlAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: net-a
            spec:
              master: ens2f0
              ipam: '{"type":"static"}'
            """);
        await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("macvlannetworks", "net-a"))?["status"]?["state"]?.GetValue<string>() == "ready", "net-a ready");
        // The standby has warm caches but never ran a reconcile, so it cannot have written anything.
        foreach (var controller in new[] { "macvlannetwork", "nicclusterpolicy", "node-wait-labels" })
        {
            foreach (var outcome in new[] { "success", "requeue_after", "requeue", "error" })
            {
                Assert.Equal(0, second.Manager.Metrics.ReconcileTotal.WithLabels(controller, outcome).Value);
            }
        }

        // The status write lands before the reconcile returns and counts itself, so the count can trail the status briefly.
        await Eventually.TrueAsync(
            () => Task.FromResult(first.Manager.Metrics.ReconcileTotal.WithLabels("macvlannetwork", "success").Value > 0),
            "the leader counted its successful reconcile");

        // The leader stops (lease released): the standby takes over and reconciles the next change.
        await fx.StopOperatorAsync(first);
        await Eventually.TrueAsync(() => Task.FromResult(second.Manager.IsLeader), "second instance takes over");
        await fx.ApplyYamlAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: net-b
            spec:
              master: ens2f1
              ipam: '{"type":"static"}'
            """);
        await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("macvlannetworks", "net-b"))?["status"]?["state"]?.GetValue<string>() == "ready", "net-b ready via the new leader");
    }
}
