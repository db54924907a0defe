using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Reconcile;

public sealed class ControllerOptions
{
    /// <summary>Concurrent reconciles; one by default like controller-runtime. Never two for the same key.</summary>
    public int MaxConcurrentReconciles { get; set; } = 1;

    /// <summary>Optional per-reconcile timeout; the reconcile's token is cancelled and the key retried with backoff.</summary>
    public TimeSpan? ReconcileTimeout { get; set; }

    /// <summary>
    /// Least time from the start of one reconcile to the next one a worker begins; changes that arrive meanwhile are
    /// coalesced into that next reconcile. For a single-key controller that re-plans the whole cluster on any event,
    /// where a burst of thousands of events would otherwise mean hundreds of back-to-back passes. Not applied after a
    /// reconcile that reports <see cref="ReconcileResult.Busy"/>. None by default.
    /// </summary>
    public TimeSpan? MinInterval { get; set; }

    /// <summary>Overrides the default limiter (per-item 5 ms → 1000 s, overall 10 qps burst 100).</summary>
    public Func<TimeProvider, IRateLimiter<ObjectKey>>? RateLimiter { get; set; }
}
