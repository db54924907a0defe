namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// Drives the world toward the desired state of the object a key names. Must be idempotent: it is
/// called for creates, updates, deletes (the object is then absent from the cache), resyncs and retries alike.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}

/// <summary>Adapts a delegate to <see cref="IReconciler"/>.</summary>
public sealed class DelegateReconciler(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler
{
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
        reconcile(key, cancellationToken);
}
