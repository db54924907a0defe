namespace NetworkOperator.Runtime.Queue;

/// <summary>Decides how long an item waits before it is retried (client-go's <c>RateLimiter</c>).</summary>
public interface IRateLimiter<in T>
    where T : notnull
{
    /// <summary>Records one more failure of <paramref name="item"/> and returns how long it must wait.</summary>
    TimeSpan NextDelay(T item);

    /// <summary>Clears the failure history of <paramref name="item"/> (called after a successful reconcile).</summary>
    void Forget(T item);

    /// <summary>How many times <paramref name="item"/> has been retried since it was last forgotten.</summary>
    int NumRequeues(T item);
}
