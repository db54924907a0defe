using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Reconcile;

public sealed class ControllerOptions
{
    /// <summary>Concurrent reconciles; one by default like controller-runtime. Never two for the same key.</summary>
    public int MaxConcurrentReconciles { get; set; } = 1;

    /// <summary>Optional per-reconcile timeout; the reconcile's token is cancelled and the key retried with backoff.</summary>
    public TimeSpan? ReconcileTimeout { get; set; }

    /// <summary>Overrides the default limiter (per-item 5 ms → 1000 s, overall 10 qps burst 100).</summary>
    public Func<TimeProvider, IRateLimiter<ObjectKey>>? RateLimiter { get; set; }
}
