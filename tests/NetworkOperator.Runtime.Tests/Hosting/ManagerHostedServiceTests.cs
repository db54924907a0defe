using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Runtime.Reconcile;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.Hosting;

public class ManagerHostedServiceTests
{
    [Fact]
    public async Task Stopping_the_generic_host_drains_the_in_flight_reconcile_then_releases_the_lease()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var finished = false;
        ControllerManager? created = null;
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddControllerManager(_ =>
        {
            var manager = new ControllerManager(cluster.Client, new ManagerOptions
            {
                HealthProbeBindAddress = "0",
                MetricsBindAddress = "0",
                LeaderElection = new LeaderElectionOptions { LeaseName = "host-lock", LeaseNamespace = "default", Identity = "host" },
            });
            manager.NewController().For<V1ConfigMap>().Complete(async (_, _) =>
            {
                entered.TrySetResult();
                await release.Task;
                finished = true;
                return ReconcileResult.Done;
            });
            created = manager;
            return manager;
        });
        using var host = builder.Build();
        await host.StartAsync();
        await entered.Task.WaitAsync(Eventually.Timeout);

        // SIGTERM under the generic host is StopAsync: the reconcile in flight must be allowed to finish.
        var queue = created!.Controllers[0].Queue!;
        var stopping = host.StopAsync();
        await Eventually.TrueAsync(() => queue.IsShuttingDown, "the controller stopped taking keys");
        Assert.Equal(1, queue.ProcessingCount);
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(Eventually.Timeout);

        Assert.True(finished);
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("host-lock", "default");
        Assert.True(string.IsNullOrEmpty(lease.Spec.HolderIdentity));
    }
}
