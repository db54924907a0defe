using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Simulator.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// Leader election against the embedded API server with a fake clock. The clock is only stepped while the electors
/// wait on it, so HTTP round trips never race the clock.
/// </summary>
public class LeaderElectorTests
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Of_two_candidates_exactly_one_leads_and_the_other_waits()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = Candidate(cluster, time, "a");
        await Eventually.TrueAsync(() => a.Leading, "a leads");
        await using var b = Candidate(cluster, time, "b");

        await StepAsync(time, [a, b], () => b.Elector.Leader == "a", "b observed a as leader");
        await StepAsync(time, [a, b], () => false, "", steps: 10);

        Assert.True(a.Leading);
        Assert.False(b.Leading);
        Assert.False(b.Elector.IsLeader);
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("test-lock", "default");
        Assert.Equal("a", lease.Spec.HolderIdentity);
        Assert.Equal(15, lease.Spec.LeaseDurationSeconds);
    }

    [Fact]
    public async Task Losing_the_lease_to_another_holder_stops_the_leaders_work()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = Candidate(cluster, time, "a");
        await Eventually.TrueAsync(() => a.Leading, "a leads");

        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("test-lock", "default");
        lease.Spec.HolderIdentity = "intruder";
        lease.Spec.RenewTime = time.GetUtcNow().UtcDateTime;
        await cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "test-lock", "default");

        await StepAsync(time, [a], () => !a.Leading, "a's work was stopped");
        Assert.False(a.Elector.IsLeader);
        Assert.Equal(1, a.Stops);
        Assert.Equal("intruder", a.Elector.Leader);
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_within_the_renew_deadline_steps_down()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = Candidate(cluster, time, "a");
        await Eventually.TrueAsync(() => a.Leading, "a leads");

        cluster.Server.Faults.AddRule(new FaultRule(null, "leases", 500));
        var failedAt = time.GetUtcNow();
        await StepAsync(time, [a], () => !a.Leading, "a stepped down");
        var held = time.GetUtcNow() - failedAt;

        // It kept trying for the whole renew deadline (10 s) but gave up well before the lease (15 s) expired.
        Assert.InRange(held, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(14));
    }

    [Fact]
    public async Task Releasing_on_shutdown_hands_over_within_one_retry_period()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Candidate(cluster, time, "a");
        await Eventually.TrueAsync(() => a.Leading, "a leads");
        await using var b = Candidate(cluster, time, "b");
        await StepAsync(time, [a, b], () => b.Elector.Leader == "a", "b observed a as leader");

        await a.DisposeAsync();
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("test-lock", "default");
        Assert.True(string.IsNullOrEmpty(lease.Spec.HolderIdentity));
        Assert.Equal(1, a.Stops);

        // b is asleep for at most one retry period; one step of that length must be enough.
        await Eventually.TrueAsync(() => b.Elector.IsWaiting, "b waits for its next attempt");
        time.Advance(Retry);
        await Eventually.TrueAsync(() => b.Leading, "b took over");
        lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("test-lock", "default");
        Assert.Equal("b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task A_crashed_leaders_lease_is_taken_over_after_the_lease_duration()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "test-lock", NamespaceProperty = "default" },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = "crashed", LeaseDurationSeconds = 15, RenewTime = time.GetUtcNow().UtcDateTime,
                AcquireTime = time.GetUtcNow().UtcDateTime, LeaseTransitions = 3,
            },
        }, "default");
        await using var b = Candidate(cluster, time, "b");
        await Eventually.TrueAsync(() => b.Elector.Leader == "crashed", "b saw the old holder");
        var start = time.GetUtcNow();

        await StepAsync(time, [b], () => b.Leading, "b took over the expired lease");

        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15) + Retry);
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("test-lock", "default");
        Assert.Equal(4, lease.Spec.LeaseTransitions);
    }

    // Advances the fake clock in 0.5 s steps, each time only once every elector is asleep on it.
    private static async Task StepAsync(FakeTimeProvider time, IReadOnlyList<CandidateRun> candidates, Func<bool> done, string because,
        int steps = 80)
    {
        for (var i = 0; i < steps; i++)
        {
            if (done())
            {
                return;
            }

            await Eventually.TrueAsync(() => candidates.All(c => c.Elector.IsWaiting || c.Finished), "every elector waits on the clock");
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Eventually.TrueAsync(() => done() || candidates.All(c => c.Elector.IsWaiting || c.Finished), "the electors settled");
        }

        if (because.Length > 0)
        {
            Assert.True(done(), $"Expected: {because}");
        }
    }

    private static CandidateRun Candidate(Cluster cluster, TimeProvider time, string identity)
    {
        var elector = new LeaderElector(cluster.Client, new LeaderElectionOptions
        {
            LeaseName = "test-lock",
            LeaseNamespace = "default",
            Identity = identity,
        }, time: time);
        return new CandidateRun(elector);
    }

    private sealed class CandidateRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;
        private volatile bool _leading;
        private int _stops;

        public CandidateRun(LeaderElector elector)
        {
            Elector = elector;
            _run = elector.RunAsync(async leading =>
            {
                _leading = true;
                try
                {
                    await Task.Delay(Timeout.Infinite, leading);
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    _leading = false;
                    Interlocked.Increment(ref _stops);
                }
            }, _stop.Token);
        }

        public LeaderElector Elector { get; }

        public bool Leading => _leading;

        public int Stops => _stops;

        public bool Finished => _run.IsCompleted;

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
                await _run.WaitAsync(Eventually.Timeout);
            }
        }
    }
}
