namespace NetworkOperator.Runtime.Queue;

/// <summary>
/// Per-item exponential backoff: base * 2^failures, capped. Defaults match client-go (5 ms doubling to 1000 s) so a
/// persistently failing object settles at one retry every ~17 minutes instead of hammering the API server.
/// </summary>
public sealed class ItemExponentialFailureRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(1000);

    private readonly Lock _lock = new();
    private readonly Dictionary<T, int> _failures = [];
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ItemExponentialFailureRateLimiter()
        : this(DefaultBaseDelay, DefaultMaxDelay)
    {
    }

    public ItemExponentialFailureRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    public TimeSpan NextDelay(T item)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(item, out exponent);
            _failures[item] = exponent + 1;
        }

        // Doubles overflow to infinity long before ticks do; compare in double space to cap safely.
        var ticks = _baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(item, out var n) ? n : 0;
        }
    }
}
