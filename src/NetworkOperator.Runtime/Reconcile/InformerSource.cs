using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// Feeds a controller's queue from an informer: each event passes the predicates, then the mapping turns the
/// object into zero or more keys (the object itself, its controller owner, or anything a mapping function returns).
/// </summary>
public sealed class InformerSource<T> : IWatchSource
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> _informer;
    private readonly Func<T, IEnumerable<ObjectKey>> _map;
    private readonly IReadOnlyList<IPredicate<T>> _predicates;

    public InformerSource(Informer<T> informer, Func<T, IEnumerable<ObjectKey>> map, IReadOnlyList<IPredicate<T>>? predicates,
        string description)
    {
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(map);
        _informer = informer;
        _map = map;
        _predicates = predicates ?? [];
        Description = description;
    }

    public string Description { get; }

    public bool HasSynced => _informer.HasSynced;

    public IDisposable Start(WorkQueue<ObjectKey> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return _informer.AddHandler(new ResourceHandler<T>(
            (obj, _) =>
            {
                if (_predicates.All(p => p.Create(obj)))
                {
                    Enqueue(queue, obj);
                }
            },
            (oldObj, newObj) =>
            {
                if (_predicates.All(p => p.Update(oldObj, newObj)))
                {
                    // Both: a changed owner or mapping must also wake the previous target.
                    Enqueue(queue, oldObj);
                    Enqueue(queue, newObj);
                }
            },
            obj =>
            {
                if (_predicates.All(p => p.Delete(obj)))
                {
                    Enqueue(queue, obj);
                }
            }));
    }

    private void Enqueue(WorkQueue<ObjectKey> queue, T obj)
    {
        foreach (var key in _map(obj))
        {
            queue.Add(key);
        }
    }
}
