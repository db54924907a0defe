using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// A source fed by code (controller-runtime's channel source): timers, webhooks or other controllers call
/// <see cref="Trigger"/>. Keys triggered while the controller is stopped are kept and delivered when it starts.
/// </summary>
public sealed class ManualSource(string description = "manual source") : IWatchSource
{
    private readonly Lock _lock = new();
    private readonly HashSet<ObjectKey> _pending = [];
    private WorkQueue<ObjectKey>? _queue;

    public string Description { get; } = description;

    public bool HasSynced => true;

    public void Trigger(ObjectKey key)
    {
        lock (_lock)
        {
            if (_queue is null)
            {
                _pending.Add(key);
                return;
            }

            _queue.Add(key);
        }
    }

    public IDisposable Start(WorkQueue<ObjectKey> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_lock)
        {
            _queue = queue;
            foreach (var key in _pending)
            {
                queue.Add(key);
            }

            _pending.Clear();
        }

        return new Stop(this, queue);
    }

    private sealed class Stop(ManualSource source, WorkQueue<ObjectKey> queue) : IDisposable
    {
        public void Dispose()
        {
            lock (source._lock)
            {
                if (ReferenceEquals(source._queue, queue))
                {
                    source._queue = null;
                }
            }
        }
    }
}
