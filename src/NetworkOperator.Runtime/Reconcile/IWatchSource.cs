using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>Something that turns changes into reconcile keys for a controller's queue (an informer plus a mapping).</summary>
public interface IWatchSource
{
    string Description { get; }

    bool HasSynced { get; }

    /// <summary>Starts feeding <paramref name="queue"/>; disposing the result stops it.</summary>
    IDisposable Start(WorkQueue<ObjectKey> queue);
}
