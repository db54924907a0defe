using System.Collections.Concurrent;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Limits a policy's status writes while its components converge: at most one per <see cref="Interval"/> for a status
/// that stays <c>notReady</c>, so a rollout over thousands of nodes (each DaemonSet status change a reconcile) does not
/// become a status write per reconcile. A write that changes the aggregate state (ready at last, an error, the first
/// status) or follows a spec edit is never held: the final status is always written at once. A held write is not lost:
/// the caller requeues after the returned delay and the next pass writes whatever is current then.
/// </summary>
public sealed class StatusCoalescer(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWrite = new(StringComparer.Ordinal);

    /// <summary>Null: write now. Otherwise how long to wait before the next write of <paramref name="key"/> is allowed.</summary>
    /// <param name="key">The policy (kind and name).</param>
    /// <param name="converging">True when both the written and the new status are still converging for the same spec.</param>
    public TimeSpan? Hold(string key, bool converging)
    {
        if (!converging || !_lastWrite.TryGetValue(key, out var last))
        {
            return null;
        }

        var wait = last + Interval - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Written(string key) => _lastWrite[key] = time.GetUtcNow();

    public void Forget(string key) => _lastWrite.TryRemove(key, out _);
}
