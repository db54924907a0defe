using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Tests.Queue;

public class WorkQueueTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Adding_a_queued_item_again_is_a_no_op()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.GetAsync()).Item);
        Assert.Equal("b", (await queue.GetAsync()).Item);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task An_item_added_while_processing_waits_until_done_and_is_then_queued_once()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var (item, _) = await queue.GetAsync();

        queue.Add("a");
        queue.Add("a");

        // Not handed out again while a worker holds it.
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.ProcessingCount);
        var second = queue.GetAsync();
        Assert.False(second.IsCompleted);

        queue.Done(item);

        Assert.Equal("a", (await second.WaitAsync(Short)).Item);
        Assert.Equal(0, queue.Count);
        queue.Done("a");
        Assert.Equal(0, queue.ProcessingCount);
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var (item, _) = await queue.GetAsync();
        queue.Done(item);

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.ProcessingCount);
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_the_same_key_at_once_and_bursts_coalesce()
    {
        using var queue = new WorkQueue<int>(TimeProvider.System);
        var holding = new ConcurrentDictionary<int, int>();
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (key, shutDown) = await queue.GetAsync();
                if (shutDown)
                {
                    return;
                }

                if (!holding.TryAdd(key, 0))
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Increment(ref processed);
                holding.TryRemove(key, out var _);
                queue.Done(key);
            }
        })).ToArray();

        var producers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                queue.Add(i % 8);
            }
        })).ToArray();
        await Task.WhenAll(producers).WaitAsync(Short);
        await queue.ShutDownWithDrainAsync().WaitAsync(Short);
        await Task.WhenAll(workers).WaitAsync(Short);

        Assert.Equal(0, overlaps);

        // 20,000 adds of 8 keys coalesce into far fewer reconciles.
        Assert.InRange(processed, 8, 19_999);
    }

    [Fact]
    public async Task Delayed_add_appears_only_when_the_fake_clock_reaches_it_and_the_earliest_due_time_wins()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.DelayedCount);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, queue.Count);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);

        // The superseded 10 s timer must not add it a second time.
        await queue.GetAsync();
        queue.Done("a");
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Rate_limited_adds_back_off_per_item_until_forgotten()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time, new ItemExponentialFailureRateLimiter<string>());

        queue.AddRateLimited("a");
        Assert.Equal(1, queue.NumRequeues("a"));
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);

        queue.AddRateLimited("b");
        queue.AddRateLimited("b");
        queue.AddRateLimited("b");
        Assert.Equal(3, queue.NumRequeues("b"));
        queue.Forget("b");
        Assert.Equal(0, queue.NumRequeues("b"));
    }

    [Fact]
    public async Task Shutdown_ignores_new_adds_hands_out_what_is_queued_then_reports_shutdown()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        queue.Add("a");
        queue.AddAfter("later", TimeSpan.FromSeconds(1));
        var waiterQueue = new WorkQueue<string>(time);
        var waiting = waiterQueue.GetAsync();

        queue.ShutDown();
        waiterQueue.ShutDown();
        queue.Add("b");
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("a", (await queue.GetAsync()).Item);
        Assert.True((await queue.GetAsync()).ShutDown);
        Assert.True((await waiting.WaitAsync(Short)).ShutDown);
    }

    [Fact]
    public async Task Shutdown_with_drain_waits_for_in_flight_items()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        queue.Add("a");
        var (item, _) = await queue.GetAsync();

        var drain = queue.ShutDownWithDrainAsync();
        Assert.True(queue.IsShuttingDown);
        Assert.Equal(1, queue.ProcessingCount);
        Assert.False(drain.IsCompleted);

        queue.Done(item);
        await drain.WaitAsync(Short);
    }

    [Fact]
    public async Task Get_honours_cancellation()
    {
        using var queue = new WorkQueue<string>(new FakeTimeProvider());
        using var cts = new CancellationTokenSource();
        var get = queue.GetAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
    }
}
