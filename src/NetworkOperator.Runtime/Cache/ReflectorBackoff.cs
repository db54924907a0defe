namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// client-go's reflector backoff: exponential from an initial delay, capped, with full jitter (delay·(1+rand)), and
/// reset to the initial delay once no failure has happened for a healthy period.
/// </summary>
public sealed class ReflectorBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly TimeSpan _resetAfter;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private TimeSpan _current;
    private long? _lastFailure;

    public ReflectorBackoff(TimeSpan initial, TimeSpan max, TimeSpan resetAfter, TimeProvider time, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _initial = initial;
        _max = max;
        _resetAfter = resetAfter;
        _time = time;
        _random = random ?? Random.Shared;
        _current = initial;
    }

    /// <summary>The un-jittered delay the next failure would start from.</summary>
    public TimeSpan Current => _current;

    /// <summary>Records a failure and returns how long to wait before retrying.</summary>
    public TimeSpan NextDelay()
    {
        var now = _time.GetTimestamp();
        if (_lastFailure is { } last && _time.GetElapsedTime(last, now) >= _resetAfter)
        {
            _current = _initial;
        }

        _lastFailure = now;
        var baseDelay = _current;
        var doubled = _current * 2;
        _current = doubled > _max ? _max : doubled;
        var jittered = baseDelay + (baseDelay * _random.NextDouble());
        return jittered > _max ? _max : jittered;
    }
}
