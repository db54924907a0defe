using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Storage;
using NetworkOperator.Simulator.Watch;
using WatchEventType = NetworkOperator.Simulator.Watch.WatchEventType;

namespace NetworkOperator.Simulator.Cluster.Informers;

/// <summary>
/// A watch-fed cache of one resource type, read in-process from the API server's storage (no HTTP, no polling). Handlers
/// run on the informer's loop in event order and must only update indexes and enqueue keys. A closed watch resumes from
/// the last resourceVersion seen; an expired one relists and reports the objects that vanished meanwhile.
/// Every change to an object in the cache and its notification happen under that object's gate, so handlers see an
/// object's changes in the order the cache took them even though controllers' own writes (<see cref="Assume"/>) arrive
/// from other threads than the watch: without it, an index fed by the handlers could apply an older change after a
/// newer one and keep a ghost object. Gates are striped by key: changes to different objects do not queue behind each
/// other (with every simulated controller assuming its pod writes, one gate was where two cores spun most), so
/// handlers must be safe to run concurrently for different objects.
/// </summary>
internal sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private const int GateStripes = 64;
    private readonly ResourceService _service;
    private readonly ResourceType _type;
    private readonly ConcurrentDictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly List<Action<T?, T?>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock[] _gates = [.. Enumerable.Range(0, GateStripes).Select(_ => new Lock())];

    // Deleted objects by the revision of their deletion: a change older than that — a watch event still in flight when
    // this process deleted the object, or a controller's Assume of a write that raced with the delete — must not bring
    // them back into the cache. Kept for the most recent deletions only; stale writes arrive within moments.
    private const int TombstoneCapacity = 10_000;
    private readonly ConcurrentDictionary<string, long> _tombstones = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Revision)> _tombstoneOrder = new();
    private readonly Lock _tombstoneOrderLock = new();

    public Informer(ResourceService service, ResourceType type)
    {
        _service = service;
        _type = type;
    }

    public Task Synced => _synced.Task;

    /// <summary>Where exceptions thrown by handlers are reported (they are bugs; the informer keeps going).</summary>
    public Action<Exception>? HandlerFailed { get; set; }

    public IEnumerable<T> Items => _items.Values.Select(e => e.Item);

    public int Count => _items.Count;

    public T? Get(string key) => _items.TryGetValue(key, out var entry) ? entry.Item : null;

    public T? Get(string? ns, string name) => Get(string.IsNullOrEmpty(ns) ? name : ns + "/" + name);

    /// <summary>Registers (old, new) handlers; null old means added, null new means deleted. Register before starting.</summary>
    public void OnChange(Action<T?, T?> handler) => _handlers.Add(handler);

    public static string KeyOf(T obj) => string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? obj.Metadata.Name : obj.Metadata.NamespaceProperty + "/" + obj.Metadata.Name;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long lastRevision = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            WatchSubscription subscription;
            var relist = lastRevision == 0;
            try
            {
                subscription = _service.Watch(_type, null, relist ? new WatchOptions() : new WatchOptions { ResourceVersion = lastRevision.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            catch (ApiException e) when (e.Code == 410)
            {
                lastRevision = 0;
                continue;
            }

            using (subscription)
            {
                HashSet<string>? seen = relist ? new(StringComparer.Ordinal) : null;
                foreach (var delivery in subscription.Initial)
                {
                    Apply(delivery, seen);
                }

                if (seen is not null)
                {
                    // Only what the list should have shown: an object assumed from a write newer than the list is kept.
                    foreach (var key in _items.Where(e => !seen.Contains(e.Key)).Select(e => e.Key).ToList())
                    {
                        lock (Gate(key))
                        {
                            if (_items.TryGetValue(key, out var gone) && gone.ResourceVersion <= subscription.StartResourceVersion)
                            {
                                _items.TryRemove(key, out _);
                                Bury(key, subscription.StartResourceVersion);
                                Notify(gone.Item, null);
                            }
                        }
                    }

                    lastRevision = Math.Max(lastRevision, subscription.StartResourceVersion);
                }

                _synced.TrySetResult();
                try
                {
                    await foreach (var delivery in subscription.Watcher.Reader.ReadAllAsync(cancellationToken))
                    {
                        if (delivery.Type == WatchEventType.Error)
                        {
                            lastRevision = 0;
                            break;
                        }

                        lastRevision = Math.Max(lastRevision, delivery.Event.ResourceVersion);
                        Apply(delivery, null);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private void Apply(WatchDelivery delivery, HashSet<string>? seen)
    {
        if (delivery.Type is WatchEventType.Bookmark or WatchEventType.Error)
        {
            return;
        }

        var stored = delivery.Event.Object;
        seen?.Add(stored.Key);
        if (delivery.Type == WatchEventType.Deleted)
        {
            lock (Gate(stored.Key))
            {
                Bury(stored.Key, stored.ResourceVersion);
                if (_items.TryGetValue(stored.Key, out var old) && old.ResourceVersion <= stored.ResourceVersion)
                {
                    _items.TryRemove(stored.Key, out _);
                    Notify(old.Item, null);
                }
            }

            return;
        }

        Store(stored);
    }

    /// <summary>
    /// Puts the result of this process's own write into the cache at once, so the next sync sees it even before the
    /// watch event arrives (the role of the real controllers' expectations). Older states never replace newer ones.
    /// </summary>
    public void Assume(StoredObject stored)
    {
        if (stored.Json.Length > 0)
        {
            Store(stored);
        }
    }

    /// <summary>Forgets an object this process has just deleted for good (<paramref name="deleted"/> is what the delete returned).</summary>
    public void AssumeDeleted(StoredObject deleted)
    {
        lock (Gate(deleted.Key))
        {
            Bury(deleted.Key, deleted.ResourceVersion);
            if (_items.TryGetValue(deleted.Key, out var old) && old.ResourceVersion <= deleted.ResourceVersion)
            {
                _items.TryRemove(deleted.Key, out _);
                Notify(old.Item, null);
            }
        }
    }

    private Lock Gate(string key) => _gates[(uint)StringComparer.Ordinal.GetHashCode(key) % GateStripes];

    // Called under the key's gate.
    private void Bury(string key, long revision)
    {
        if (_tombstones.GetValueOrDefault(key) >= revision)
        {
            return;
        }

        _tombstones[key] = revision;
        lock (_tombstoneOrderLock)
        {
            _tombstoneOrder.Enqueue((key, revision));
            while (_tombstoneOrder.Count > TombstoneCapacity)
            {
                var (oldKey, oldRevision) = _tombstoneOrder.Dequeue();
                _tombstones.TryRemove(new KeyValuePair<string, long>(oldKey, oldRevision));
            }
        }
    }

    private void Store(StoredObject stored)
    {
        var key = stored.Key;

        // A controller's own write reaches the cache twice, first assumed, then from the watch: the second copy is
        // older or the same, so it is not decoded again (decoding is most of an informer's cost at 10,000 pods).
        if (_items.TryGetValue(key, out var cached) && cached.ResourceVersion >= stored.ResourceVersion)
        {
            return;
        }

        using var stream = new MemoryStream(stored.Json, writable: false);
        var item = KubernetesJson.Deserialize<T>(stream);
        var entry = new Entry(item, stored.ResourceVersion);
        lock (Gate(key))
        {
            if (_tombstones.TryGetValue(key, out var tombstone))
            {
                if (tombstone >= stored.ResourceVersion)
                {
                    return;
                }

                // A newer object under the same name: created again after the delete.
                _tombstones.TryRemove(new KeyValuePair<string, long>(key, tombstone));
            }

            T? previous = null;
            if (_items.TryGetValue(key, out var existing))
            {
                if (existing.ResourceVersion >= stored.ResourceVersion)
                {
                    return;
                }

                previous = existing.Item;
            }

            _items[key] = entry;
            Notify(previous, item);
        }
    }

    private sealed record Entry(T Item, long ResourceVersion);

    private void Notify(T? old, T? current)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(old, current);
            }
#pragma warning disable CA1031 // one faulty handler must not starve the others of events
            catch (Exception e)
#pragma warning restore CA1031
            {
                HandlerFailed?.Invoke(e);
            }
        }
    }
}

/// <summary>What the cluster needs to start and await any informer.</summary>
internal interface IInformer
{
    Task Synced { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
