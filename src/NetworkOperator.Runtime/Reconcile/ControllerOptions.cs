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

    /// <summary>
    /// Largest share of a worker's time that reconciles not reporting <see cref="ReconcileResult.Busy"/> may take: after
    /// one that took <c>d</c>, the next begins no sooner than <c>d / share</c> after it began (and never sooner than
    /// <see cref="MinInterval"/>). For a whole-cluster planner whose idle pass grows with the cluster: a fixed interval
    /// that suits 1,000 nodes lets the same pass at 10,000 nodes take a third of a core while nothing moves. Between 0
    /// (exclusive) and 1; none by default.
    /// </summary>
    public double? IdleShare { get; set; }

    /// <summary>
    /// The longest <see cref="IdleShare"/> may space two reconciles (1 s by default), so one slow outlier (a first pass
    /// compiling its code, a stalled machine) cannot leave the controller deaf for long.
    /// </summary>
    public TimeSpan IdleShareLimit { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Overrides the default limiter (per-item 5 ms → 1000 s, overall 10 qps burst 100).</summary>
    public Func<TimeProvider, IRateLimiter<ObjectKey>>? RateLimiter { get; set; }
}
