using System.Collections.Concurrent;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// Per-key retry delays for syncs the API server refused, doubling from one second. Capped at 30 seconds (the real
/// controllers' rate limiter goes up to 1000 s) so that a fixed cause — a relabelled namespace — is seen promptly.
/// </summary>
internal sealed class FailureBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public TimeSpan Next(string key)
    {
        var failures = _failures.AddOrUpdate(key, 1, (_, n) => Math.Min(n + 1, 16));
        var delay = First * Math.Pow(2, failures - 1);
        return delay < Max ? delay : Max;
    }

    public void Reset(string key) => _failures.TryRemove(key, out _);
}
