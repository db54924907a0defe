namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// Outcome of one reconcile. Errors are not results: throw (retried with per-item backoff) or throw
/// <see cref="TerminalReconcileException"/> (reported, not retried).
/// </summary>
public readonly record struct ReconcileResult
{
    /// <summary>Reconciled; nothing to do until something changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>
    /// When set, the key is reconciled again after this delay regardless of events (use it to poll external state;
    /// informer resync is only a safety net). Resets the key's error backoff.
    /// </summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>
    /// Work is under way that the next events continue (a rollout step by step), so the controller does not hold the
    /// next reconcile back for <see cref="ControllerOptions.MinInterval"/>.
    /// </summary>
    public bool Busy { get; init; }

    /// <summary>Requeue through the rate limiter (backoff grows) without reporting an error.</summary>
    public bool Requeue { get; init; }

    public static ReconcileResult After(TimeSpan delay) => new() { RequeueAfter = delay };

    public static ReconcileResult RequeueWithBackoff => new() { Requeue = true };
}
