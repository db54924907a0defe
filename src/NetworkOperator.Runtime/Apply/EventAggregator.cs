namespace NetworkOperator.Runtime.Apply;

/// <summary>
/// client-go's event aggregation: once one object has had <see cref="MaxDistinctMessages"/> events with the same type
/// and reason but different messages within <see cref="Interval"/>, further ones are folded into a single
/// "(combined from similar events)" Event whose count grows. Without it, a per-node message on a policy (a driver
/// upgrade of 1,000 nodes) writes thousands of Events about one object.
/// </summary>
internal sealed class EventAggregator(TimeProvider time)
{
    public const int MaxDistinctMessages = 10;
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    public const string CombinedPrefix = "(combined from similar events): ";

    private const int MaxRemembered = 4096;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>True when the event with this aggregate key and message should go into the combined Event.</summary>
    public bool ShouldCombine(string aggregateKey, string message)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_windows.TryGetValue(aggregateKey, out var window) || now - window.Started > Interval)
            {
                if (_windows.Count >= MaxRemembered)
                {
                    // Bounded memory: forget windows that have expired, or all of them if none has.
                    foreach (var stale in _windows.Where(w => now - w.Value.Started > Interval).Select(w => w.Key).ToList())
                    {
                        _windows.Remove(stale);
                    }

                    if (_windows.Count >= MaxRemembered)
                    {
                        _windows.Clear();
                    }
                }

                window = new Window(now);
                _windows[aggregateKey] = window;
            }

            if (window.Messages.Contains(message))
            {
                return false;
            }

            if (window.Messages.Count >= MaxDistinctMessages)
            {
                return true;
            }

            window.Messages.Add(message);
            return false;
        }
    }

    private sealed record Window(DateTimeOffset Started)
    {
        public HashSet<string> Messages { get; } = new(StringComparer.Ordinal);
    }
}
