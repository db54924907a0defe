using NetworkOperator.Tests.Shared;
using k8s;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Simulator;
using static NetworkOperator.Controllers.Tests.Upgrade.KubeObjectsForTests;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>The drain component against the embedded API server (real HTTP, real Eviction API with PDBs).</summary>
public sealed class NodeDrainerTests : IAsyncLifetime
{
    private const string Node = "worker-1";
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
        await CreateNodeAsync(_client, Node);
        await CreateNodeAsync(_client, "worker-2");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Evicts_managed_pods_and_leaves_daemon_mirror_and_skip_labelled_pods()
    {
        await CreateRunningPodAsync(_client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "default", "web-1", Node, new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "default", "elsewhere", "worker-2", new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "kube-system", "agent", Node, ownerKind: "DaemonSet");
        await CreateRunningPodAsync(_client, "kube-system", "static", Node, ownerKind: "Node",
            annotations: new() { [DrainPodFilter.MirrorPodAnnotation] = "x" });
        await CreateRunningPodAsync(_client, "default", "operator", Node, new() { ["nvidia.com/ofed-driver-upgrade-drain.skip"] = "true" });
        _server.Requests.Reset();

        var outcome = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions());

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(2, outcome.EvictedPods);
        Assert.Equal(["default/operator", "kube-system/agent", "kube-system/static"], await PodNamesOnAsync(_client, Node));
        Assert.Equal(2, _server.Requests.Get("create", "pods/eviction"));
        Assert.Equal(0, _server.Requests.Get("delete", "pods"));
    }

    [Fact]
    public async Task Evictions_answered_409_conflict_are_retried()
    {
        foreach (var i in Enumerable.Range(0, 4))
        {
            await CreateRunningPodAsync(_client, "default", $"web-{i}", Node, new() { ["app"] = "web" });
        }

        _server.Faults.AddRule(new Simulator.Diagnostics.FaultRule("create", "pods", 409, Rate: 0.5));
        _server.Requests.Reset();

        var outcome = await new NodeDrainer(_client) { ConflictRetryInterval = TimeSpan.FromMilliseconds(10) }.DrainAsync(Node, new DrainOptions());
        _server.Faults.Clear();

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(4, outcome.EvictedPods);
        Assert.Empty(await PodNamesOnAsync(_client, Node));
        Assert.True(_server.Requests.Get("create", "pods/eviction") > 4, "some evictions were refused with 409 and repeated");
    }

    [Fact]
    public async Task User_selector_narrows_the_pods_evicted()
    {
        await CreateRunningPodAsync(_client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "default", "db-0", Node, new() { ["app"] = "db" });

        var outcome = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions { PodSelector = UpgradePolicy.WithSkipClause("app=web") });

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(["default/db-0"], await PodNamesOnAsync(_client, Node));
    }

    [Fact]
    public async Task Unmanaged_pod_stops_the_drain_before_anything_is_evicted_unless_forced()
    {
        await CreateRunningPodAsync(_client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "default", "bare", Node, ownerKind: null);

        var refused = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions());

        Assert.False(refused.Succeeded);
        Assert.Contains("pod default/bare is not managed by a controller", refused.Error, StringComparison.Ordinal);
        Assert.Equal(["default/bare", "default/web-0"], await PodNamesOnAsync(_client, Node));

        var forced = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions { Force = true });
        Assert.True(forced.Succeeded, forced.Error);
        Assert.Empty(await PodNamesOnAsync(_client, Node));
    }

    [Fact]
    public async Task EmptyDir_pod_needs_deleteEmptyDir()
    {
        await CreateRunningPodAsync(_client, "default", "cache-0", Node, emptyDir: true);

        var refused = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions());
        Assert.Contains("pod default/cache-0 uses emptyDir volumes", refused.Error, StringComparison.Ordinal);

        var allowed = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions { DeleteEmptyDir = true });
        Assert.True(allowed.Succeeded, allowed.Error);
        Assert.Empty(await PodNamesOnAsync(_client, Node));
    }

    [Fact]
    public async Task Pdb_that_never_allows_eviction_fails_the_drain_at_the_timeout_naming_pod_and_budget()
    {
        await CreateRunningPodAsync(_client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateBudgetAsync(_client, "default", "web-pdb", new() { ["app"] = "web" }, minAvailable: 1);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var blockers = new List<string?>();
        var drainer = new NodeDrainer(_client, clock);

        var drain = drainer.DrainAsync(Node, new DrainOptions { Timeout = TimeSpan.FromSeconds(60) }, b => { lock (blockers) { blockers.Add(b); } });
        await AdvanceUntilDoneAsync(clock, drain);
        var outcome = await drain;

        Assert.False(outcome.Succeeded);
        Assert.Equal("drain of node worker-1 did not complete within 60s: eviction of pod default/web-0 blocked by PodDisruptionBudget web-pdb", outcome.Error);
        Assert.Contains("eviction of pod default/web-0 blocked by PodDisruptionBudget web-pdb", blockers);
        Assert.Equal(["default/web-0"], await PodNamesOnAsync(_client, Node));
        Assert.True(_server.Requests.Get("create", "pods/eviction") >= 2, "the eviction is retried while the budget refuses it");
    }

    [Fact]
    public async Task Blocked_eviction_succeeds_once_the_budget_allows_it()
    {
        await CreateRunningPodAsync(_client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateBudgetAsync(_client, "default", "web-pdb", new() { ["app"] = "web" }, minAvailable: 1);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var blocked = new TaskCompletionSource();
        var drain = new NodeDrainer(_client, clock).DrainAsync(Node, new DrainOptions(), b =>
        {
            if (b is not null)
            {
                blocked.TrySetResult();
            }
        });
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // A second replica elsewhere makes one disruption allowed.
        await CreateRunningPodAsync(_client, "default", "web-1", "worker-2", new() { ["app"] = "web" });
        await AdvanceUntilDoneAsync(clock, drain);

        var outcome = await drain;
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Empty(await PodNamesOnAsync(_client, Node));
    }

    [Fact]
    public async Task Pods_still_terminating_after_eviction_are_not_reported_as_blockers_but_named_at_the_timeout()
    {
        // Graceful deletion and no kubelet: evicted pods stay terminating, as pods with a long grace period do.
        await using var server = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions { GracefulPodDeletion = true });
        using var client = server.CreateClient();
        await CreateNodeAsync(client, Node);
        await CreateRunningPodAsync(client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateRunningPodAsync(client, "default", "web-1", Node, new() { ["app"] = "web" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var blockers = new List<string?>();

        var drain = new NodeDrainer(client, clock).DrainAsync(Node, new DrainOptions { Timeout = TimeSpan.FromSeconds(30) },
            b => { lock (blockers) { blockers.Add(b); } });
        await AdvanceUntilDoneAsync(clock, drain);
        var outcome = await drain;

        // Waiting for a pod to terminate is a drain's normal course, not a Warning for the node (each node's upgrade
        // would otherwise show one); only refused evictions are blockers. The timeout still says what it waited for.
        Assert.DoesNotContain(blockers, b => b is not null);
        Assert.False(outcome.Succeeded);
        Assert.Contains("waiting for evicted pod default/web-0 to terminate", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("waiting for evicted pod default/web-1 to terminate", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_terminating_long_past_its_grace_period_is_reported_until_it_goes()
    {
        await using var server = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions { GracefulPodDeletion = true });
        using var client = server.CreateClient();
        await CreateNodeAsync(client, Node);
        await CreateRunningPodAsync(client, "default", "stuck", Node, new() { ["app"] = "web" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var blockers = new List<string?>();
        var reported = new TaskCompletionSource();

        // No drain timeout: without the report this drain would wait silently for ever.
        var drain = new NodeDrainer(client, clock).DrainAsync(Node, new DrainOptions(), b =>
        {
            lock (blockers)
            {
                blockers.Add(b);
            }

            if (b is not null)
            {
                reported.TrySetResult();
            }
        });
        var deadline = DateTime.UtcNow + Eventually.Timeout;
        while (!reported.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(reported.Task.IsCompleted, "the stuck pod was never reported");
        Assert.Equal(
            "eviction of pod default/stuck accepted, but the pod is still terminating 60s later (grace period 30s): a finalizer or an unreachable kubelet holds it",
            blockers.First(b => b is not null));
        Assert.False(drain.IsCompleted);

        // Whatever held it lets go (here: a forced delete): the drain completes and the blocker clears.
        await client.CoreV1.DeleteNamespacedPodAsync("stuck", "default", gracePeriodSeconds: 0);
        await AdvanceUntilDoneAsync(clock, drain);
        Assert.True((await drain).Succeeded);
        Assert.Null(blockers[^1]);
    }

    [Fact]
    public async Task Empty_node_drains_at_once()
    {
        var outcome = await new NodeDrainer(_client).DrainAsync(Node, new DrainOptions());

        Assert.True(outcome.Succeeded);
        Assert.Equal(0, outcome.EvictedPods);
    }

    [Fact]
    public async Task With_the_drain_pod_cache_two_drains_list_pods_once_and_never_poll_them()
    {
        await CreateRunningPodAsync(_client, "default", "web-0", Node, new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "kube-system", "agent", Node, ownerKind: "DaemonSet");
        await CreateRunningPodAsync(_client, "default", "operator", Node, new() { ["nvidia.com/ofed-driver-upgrade-drain.skip"] = "true" });
        await CreateRunningPodAsync(_client, "default", "web-1", "worker-2", new() { ["app"] = "web" });
        await CreateRunningPodAsync(_client, "default", "cache-0", "worker-2", emptyDir: true);
        _server.Requests.Reset();
        await using var cache = new DrainPodCache(_client);
        var drainer = new NodeDrainer(_client, pods: cache) { DeletionPollInterval = TimeSpan.FromMilliseconds(20) };

        var first = await drainer.DrainAsync(Node, new DrainOptions());
        var refused = await drainer.DrainAsync("worker-2", new DrainOptions());
        var second = await drainer.DrainAsync("worker-2", new DrainOptions { DeleteEmptyDir = true });

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(1, first.EvictedPods);
        Assert.Equal(["default/operator", "kube-system/agent"], await PodNamesOnAsync(_client, Node));
        Assert.Contains("pod default/cache-0 uses emptyDir volumes", refused.Error, StringComparison.Ordinal);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(2, second.EvictedPods);
        Assert.Empty(await PodNamesOnAsync(_client, "worker-2"));

        // One LIST and one WATCH for all three drains (PodNamesOnAsync's own lists come after), no GET while waiting.
        Assert.Equal(3, _server.Requests.Get("create", "pods/eviction"));
        Assert.Equal(0, _server.Requests.Get("get", "pods"));
        Assert.Equal(1 + 2, _server.Requests.Get("list", "pods"));
        Assert.True(cache.IsRunning);

        await cache.StopAsync();
        Assert.False(cache.IsRunning);
    }

    // Moves the fake clock in steps while the drain's real HTTP calls run, until it finishes (bounded in real time).
    private static async Task AdvanceUntilDoneAsync(FakeTimeProvider clock, Task drain)
    {
        var deadline = DateTime.UtcNow + Eventually.Timeout;
        while (!drain.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(drain.IsCompleted, "the drain did not finish");
    }
}
