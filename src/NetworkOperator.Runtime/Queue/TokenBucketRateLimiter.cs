namespace NetworkOperator.Runtime.Queue;

/// <summary>
/// Overall token bucket shared by every item (client-go's <c>BucketRateLimiter</c>, 10 qps / burst 100 by default).
/// It bounds the retry rate of the whole controller when many objects fail at once, which per-item backoff cannot.
/// Tokens are reserved in advance, so the returned delay is the moment the reserved token becomes available.
/// </summary>
public sealed class TokenBucketRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    public const double DefaultQps = 10;
    public const int DefaultBurst = 100;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _qps;
    private readonly int _burst;
    private double _tokens;
    private long _last;

    public TokenBucketRateLimiter(TimeProvider time, double qps = DefaultQps, int burst = DefaultBurst)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(qps, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _qps = qps;
        _burst = burst;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public TimeSpan NextDelay(T item)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed * _qps));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
