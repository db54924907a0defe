namespace NetworkOperator.Runtime.Queue;

/// <summary>
/// A rate-limited, delaying work queue with client-go's guarantees:
/// <list type="bullet">
/// <item>an item is queued at most once (the dirty set coalesces bursts of adds);</item>
/// <item>an item is never handed to two workers: adding an item that is being processed only marks it dirty, and it
/// is queued again when the worker calls <see cref="Done"/>;</item>
/// <item>delayed adds keep the earliest due time per item;</item>
/// <item>after <see cref="ShutDown"/> new adds are ignored, queued items are still handed out, then
/// <see cref="GetAsync"/> reports shutdown.</item>
/// </list>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The client-go name every Kubernetes developer knows.")]
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, long> _queuedAt = [];
    private readonly Dictionary<T, long> _startedAt = [];
    private readonly Dictionary<T, Delayed> _waiting = [];
    private readonly TimeProvider _time;
    private readonly IRateLimiter<T> _limiter;
    private readonly IWorkQueueMetrics _metrics;
    private TaskCompletionSource _itemsChanged = NewSignal();
    private bool _shuttingDown;

    public WorkQueue(TimeProvider time, IRateLimiter<T>? rateLimiter = null, IWorkQueueMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _limiter = rateLimiter ?? RateLimiters.Default<T>(time);
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
    }

    /// <summary>Items waiting to be handed out (not counting those being processed or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Items currently held by workers.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Items scheduled by <see cref="AddAfter"/> whose delay has not elapsed yet.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        TaskCompletionSource? wake = null;
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(item))
            {
                return;
            }

            _metrics.Added();
            if (_processing.Contains(item))
            {
                // Re-queued on Done, so a key is never reconciled by two workers at once.
                return;
            }

            Enqueue(item);
            wake = TakeSignal();
        }

        wake.TrySetResult();
    }

    /// <summary>Adds <paramref name="item"/> once <paramref name="delay"/> has passed; an earlier pending delay wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            var fire = new DelayedFire(this, item);
            var timer = _time.CreateTimer(static state => ((DelayedFire)state!).Fire(), fire, delay,
                Timeout.InfiniteTimeSpan);
            _waiting[item] = new Delayed(due, timer, fire);
        }
    }

    /// <summary>Adds <paramref name="item"/> after the delay its rate limiter prescribes (one more failure).</summary>
    public void AddRateLimited(T item)
    {
        _metrics.Retried();
        AddAfter(item, _limiter.NextDelay(item));
    }

    /// <summary>Ends the retry history of <paramref name="item"/>; call it when processing succeeded.</summary>
    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);

    /// <summary>
    /// Waits for an item. Returns <c>(default, true)</c> once the queue is shut down and empty. The caller must call
    /// <see cref="Done"/> with the item when it has finished with it.
    /// </summary>
    public async Task<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_queue.Count > 0)
                {
                    var item = _queue.Dequeue();
                    _processing.Add(item);
                    _dirty.Remove(item);
                    var now = _time.GetTimestamp();
                    if (_queuedAt.Remove(item, out var queuedAt))
                    {
                        _metrics.Waited(_time.GetElapsedTime(queuedAt, now));
                    }

                    _startedAt[item] = now;
                    _metrics.DepthChanged(_queue.Count);
                    return (item, false);
                }

                if (_shuttingDown)
                {
                    return (default!, true);
                }

                changed = _itemsChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks <paramref name="item"/> as finished; if it was added meanwhile it is queued again now.</summary>
    public void Done(T item)
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            _processing.Remove(item);
            if (_startedAt.Remove(item, out var started))
            {
                _metrics.Worked(_time.GetElapsedTime(started));
            }

            if (_dirty.Contains(item))
            {
                Enqueue(item);
            }

            wake = TakeSignal();
        }

        wake.TrySetResult();
    }

    /// <summary>Stops accepting items; workers still receive what is queued, then see shutdown.</summary>
    public void ShutDown()
    {
        TaskCompletionSource wake;
        lock (_lock)
        {
            _shuttingDown = true;
            foreach (var delayed in _waiting.Values)
            {
                delayed.Timer.Dispose();
            }

            _waiting.Clear();
            wake = TakeSignal();
        }

        wake.TrySetResult();
    }

    /// <summary>Shuts down and waits until every queued and in-flight item has been handed out and marked done.</summary>
    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        ShutDown();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_queue.Count == 0 && _processing.Count == 0)
                {
                    return;
                }

                changed = _itemsChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => ShutDown();

    private void Enqueue(T item)
    {
        _queue.Enqueue(item);
        _queuedAt[item] = _time.GetTimestamp();
        _metrics.DepthChanged(_queue.Count);
    }

    // Every waiter observes the same signal; replacing it under the lock means no change is ever missed.
    private TaskCompletionSource TakeSignal()
    {
        var signal = _itemsChanged;
        _itemsChanged = NewSignal();
        return signal;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void FireDelayed(DelayedFire fire, T item)
    {
        lock (_lock)
        {
            // A timer superseded by an earlier due time may still fire once; only the current one counts.
            if (!_waiting.TryGetValue(item, out var delayed) || !ReferenceEquals(delayed.Owner, fire))
            {
                return;
            }

            _waiting.Remove(item);
            delayed.Timer.Dispose();
        }

        Add(item);
    }

    private sealed record Delayed(DateTimeOffset Due, ITimer Timer, DelayedFire Owner);

    private sealed class DelayedFire(WorkQueue<T> queue, T item)
    {
        public void Fire() => queue.FireDelayed(this, item);
    }
}
