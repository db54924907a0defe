using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Reconcile;
using Prometheus;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.Reconcile;

public class ControllerTests
{
    private static readonly ObjectKey Key = new("ns", "obj");

    [Fact]
    public async Task An_exception_requeues_the_key_with_growing_backoff_and_success_forgets_it()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
        {
            var n = Interlocked.Increment(ref calls);
            return n <= 2 ? throw new InvalidOperationException("boom") : Task.FromResult(ReconcileResult.Done);
        });
        run.Source.Trigger(Key);

        await Eventually.TrueAsync(() => calls == 1 && run.Queue.DelayedCount == 1, "the failed key waits for its backoff");
        Assert.Equal(1, run.Queue.NumRequeues(Key));

        // First retry after 5 ms, not before.
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(1, run.Queue.DelayedCount);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => calls == 2 && run.Queue.DelayedCount == 1, "the second failure waits again");
        Assert.Equal(2, run.Queue.NumRequeues(Key));

        // Second retry after 10 ms.
        time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(1, run.Queue.DelayedCount);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => calls == 3 && run.Queue.ProcessingCount == 0, "the third attempt succeeds");

        Assert.Equal(0, run.Queue.NumRequeues(Key));
        Assert.Equal(0, run.Queue.DelayedCount);
        Assert.Equal(2, Value(run.Metrics.ReconcileErrors, "test"));
        Assert.Equal(1, Value(run.Metrics.ReconcileTotal, "test", "success"));
    }

    [Fact]
    public async Task A_conflict_is_retried_quietly_and_other_errors_keep_their_level()
    {
        using var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var calls = 0;
        await using var run = Start(TimeProvider.System, (_, _) => Interlocked.Increment(ref calls) switch
        {
            // A status write from a stale cached copy loses the optimistic-concurrency race.
            1 => throw new KubernetesException(new V1Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" }),
            2 => throw new KubernetesException(new V1Status { Code = 503, Reason = "ServiceUnavailable", Message = "try again" }),
            3 => throw new InvalidOperationException("a bug"),
            _ => Task.FromResult(ReconcileResult.Done),
        }, loggerFactory: factory);
        run.Source.Trigger(Key);

        await Eventually.TrueAsync(() => calls == 4 && run.Queue.ProcessingCount == 0 && run.Queue.DelayedCount == 0, "retried until it succeeds");
        var records = logs.Entries;
        var conflict = Assert.Single(records, r => r.Message.Contains("Conflict", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, conflict.Level);
        Assert.Null(conflict.Exception);
        var transient = Assert.Single(records, r => r.Message.Contains("transient", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, transient.Level);
        Assert.Null(transient.Exception);
        Assert.Contains("503", transient.Message, StringComparison.Ordinal);
        // Only the bug needs a person: one Error, with its stack.
        var error = Assert.Single(records, r => r.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact]
    public async Task A_terminal_error_is_counted_but_not_retried()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new TerminalReconcileException("spec is invalid");
        });
        run.Source.Trigger(Key);

        await Eventually.TrueAsync(() => Value(run.Metrics.TerminalReconcileErrors, "test") == 1 && run.Queue.ProcessingCount == 0,
            "the terminal error is recorded");
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(1, calls);
        Assert.Equal(0, run.Queue.DelayedCount);
        Assert.Equal(0, run.Queue.Count);
        Assert.Equal(0, run.Queue.NumRequeues(Key));
        Assert.Equal(1, Value(run.Metrics.ReconcileErrors, "test"));
    }

    [Fact]
    public async Task Requeue_after_fires_when_the_fake_clock_reaches_it()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
            Task.FromResult(Interlocked.Increment(ref calls) == 1 ? ReconcileResult.After(TimeSpan.FromSeconds(30)) : ReconcileResult.Done));
        run.Source.Trigger(Key);

        await Eventually.TrueAsync(() => calls == 1 && run.Queue.DelayedCount == 1, "the key is scheduled");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, run.Queue.DelayedCount);
        Assert.Equal(1, calls);

        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => calls == 2, "the key is reconciled again after 30 s");
        Assert.Equal(1, Value(run.Metrics.ReconcileTotal, "test", "requeue_after"));
    }

    [Fact]
    public async Task Requeue_without_error_goes_through_the_rate_limiter()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
            Task.FromResult(Interlocked.Increment(ref calls) == 1 ? ReconcileResult.RequeueWithBackoff : ReconcileResult.Done));
        run.Source.Trigger(Key);

        await Eventually.TrueAsync(() => run.Queue.DelayedCount == 1, "the key waits for its backoff");
        time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.TrueAsync(() => calls == 2, "the key is retried after 5 ms");
        Assert.Equal(0, Value(run.Metrics.ReconcileErrors, "test"));
    }

    [Fact]
    public async Task One_key_is_never_reconciled_by_two_workers_even_with_many_workers()
    {
        var inFlight = new ConcurrentDictionary<ObjectKey, int>();
        var overlaps = 0;
        var calls = 0;
        await using var run = Start(TimeProvider.System, async (key, ct) =>
        {
            if (!inFlight.TryAdd(key, 0))
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Delay(1, ct);
            inFlight.TryRemove(key, out _);
            Interlocked.Increment(ref calls);
            return ReconcileResult.Done;
        }, workers: 4);

        for (var i = 0; i < 2000; i++)
        {
            run.Source.Trigger(new ObjectKey("ns", $"k{i % 5}"));
        }

        await Eventually.TrueAsync(() => run.Queue.Count == 0 && run.Queue.ProcessingCount == 0 && calls >= 5,
            "every key was reconciled");
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task Stopping_lets_an_in_flight_reconcile_finish()
    {
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var finished = false;
        var run = Start(TimeProvider.System, async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task;
            finished = true;
            return ReconcileResult.Done;
        });
        run.Source.Trigger(Key);
        await entered.Task.WaitAsync(Eventually.Timeout);

        var queue = run.Queue;
        await run.Stop.CancelAsync();
        await Eventually.TrueAsync(() => queue.IsShuttingDown, "the controller stopped taking keys");
        Assert.Equal(1, queue.ProcessingCount);
        Assert.False(run.Task.IsCompleted);

        release.SetResult();
        await run.Task.WaitAsync(Eventually.Timeout);
        Assert.True(finished);
        Assert.False(run.Controller.IsRunning);
        await run.DisposeAsync();
    }

    [Fact]
    public async Task A_stopped_controller_can_run_again_and_keys_triggered_meanwhile_are_delivered()
    {
        var seen = new ConcurrentQueue<ObjectKey>();
        var source = new ManualSource();
        var controller = new Controller("test", new DelegateReconciler((key, _) =>
        {
            seen.Enqueue(key);
            return Task.FromResult(ReconcileResult.Done);
        }), [source]);

        using (var first = new CancellationTokenSource())
        {
            var task = controller.RunAsync(first.Token);
            source.Trigger(new ObjectKey(null, "one"));
            await Eventually.TrueAsync(() => seen.Count == 1, "the first run reconciles");
            await first.CancelAsync();
            await task.WaitAsync(Eventually.Timeout);
        }

        source.Trigger(new ObjectKey(null, "two"));
        using var second = new CancellationTokenSource();
        var again = controller.RunAsync(second.Token);
        await Eventually.TrueAsync(() => seen.Count == 2, "the key triggered while stopped is reconciled");
        await second.CancelAsync();
        await again.WaitAsync(Eventually.Timeout);
        Assert.Equal(["one", "two"], seen.Select(k => k.Name));
    }

    [Fact]
    public async Task With_a_min_interval_a_burst_of_triggers_during_the_interval_becomes_one_more_reconcile_when_it_ends()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(ReconcileResult.Done);
        }, minInterval: TimeSpan.FromMilliseconds(100));

        run.Source.Trigger(Key);
        await Eventually.TrueAsync(() => calls == 1, "the first trigger is reconciled at once");
        for (var i = 0; i < 20; i++)
        {
            run.Source.Trigger(Key);
        }

        // Held until the interval has passed since the first reconcile began, however many triggers came.
        time.Advance(TimeSpan.FromMilliseconds(99));
        await Task.Delay(50);
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => calls == 2, "the burst is reconciled once the interval ends");

        // Nothing came during the second reconcile's interval, so nothing more runs.
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => run.Queue.ProcessingCount == 0 && run.Queue.Count == 0, "the queue drains");
        Assert.Equal(2, calls);
    }

    // With a min interval of 100 ms and an idle share of a tenth: a reconcile costing `cost` (on the fake clock) is
    // followed by the next no sooner than `nextStart` after it began.
    [Theory]
    [InlineData(30, 300, "a slow reconcile rests in proportion to its own time: 30 ms at a tenth")]
    [InlineData(500, 1000, "an idle share never spaces two reconciles more than its limit (5 s at a tenth; the limit is 1 s)")]
    [InlineData(2, 100, "a quick reconcile still waits the min interval")]
    public async Task With_an_idle_share_the_next_reconcile_waits_the_longer_of_the_share_and_the_min_interval(int cost, int nextStart, string why)
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            time.Advance(TimeSpan.FromMilliseconds(cost));
            return Task.FromResult(ReconcileResult.Done);
        }, minInterval: TimeSpan.FromMilliseconds(100), idleShare: 0.1);

        run.Source.Trigger(Key);
        await Eventually.TrueAsync(() => calls == 1, "the first trigger is reconciled at once");
        run.Source.Trigger(Key);
        time.Advance(TimeSpan.FromMilliseconds(nextStart - cost - 1));
        await Task.Delay(50);
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => calls == 2, why);
    }

    [Fact]
    public async Task A_busy_reconcile_is_not_held_back_by_the_min_interval()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var run = Start(time, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new ReconcileResult { Busy = true });
        }, minInterval: TimeSpan.FromMinutes(1));

        // The fake clock never moves: each trigger after a busy reconcile is reconciled at once.
        for (var expected = 1; expected <= 3; expected++)
        {
            run.Source.Trigger(Key);
            var want = expected;
            await Eventually.TrueAsync(() => calls == want && run.Queue.ProcessingCount == 0, $"reconcile {want} runs without waiting");
        }
    }

    private static double Value(Counter counter, params string[] labels) => counter.WithLabels(labels).Value;

    private static Run Start(TimeProvider time, Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile, int workers = 1,
        ILoggerFactory? loggerFactory = null, TimeSpan? minInterval = null, double? idleShare = null)
    {
        var metrics = new RuntimeMetrics();
        var source = new ManualSource();
        var controller = new Controller("test", new DelegateReconciler(reconcile), [source],
            new ControllerOptions { MaxConcurrentReconciles = workers, MinInterval = minInterval, IdleShare = idleShare }, metrics, loggerFactory, time);
        var stop = new CancellationTokenSource();
        var task = controller.RunAsync(stop.Token);
        return new Run(controller, source, metrics, stop, task);
    }

    private sealed record Run(Controller Controller, ManualSource Source, RuntimeMetrics Metrics, CancellationTokenSource Stop, Task Task)
        : IAsyncDisposable
    {
        public Runtime.Queue.WorkQueue<ObjectKey> Queue => Controller.Queue ?? throw new InvalidOperationException("not running");

        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Task.WaitAsync(Eventually.Timeout);
            Stop.Dispose();
        }
    }
}
