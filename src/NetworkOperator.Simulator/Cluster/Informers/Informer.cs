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
/// Every change to the cache and its notification happen under one gate, so handlers see changes in the order the
/// cache took them even though controllers' own writes (<see cref="Assume"/>) arrive from other threads than the watch:
/// without it, an index fed by the handlers could apply an older change after a newer one and keep a ghost object.
/// </summary>
internal sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceService _service;
    private readonly ResourceType _type;
    private readonly ConcurrentDictionary<string, Entry> _items = new(StringComparer.Ordinal);
    private readonly List<Action<T?, T?>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    // Deleted objects by the revision of their deletion: a change older than that — a watch event still in flight when
    // this process deleted the object, or a controller's Assume of a write that raced with the delete — must not bring
    // them back into the cache. Kept for the most recent deletions only; stale writes arrive within moments.
    private const int TombstoneCapacity = 10_000;
    private readonly Dictionary<string, long> _tombstones = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Revision)> _tombstoneOrder = new();

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
                    lock (_gate)
                    {
                        // Only what the list should have shown: an object assumed from a write newer than the list is kept.
                        foreach (var key in _items.Where(e => !seen.Contains(e.Key) && e.Value.ResourceVersion <= subscription.StartResourceVersion)
                                     .Select(e => e.Key).ToList())
                        {
                            if (_items.TryRemove(key, out var gone))
                            {
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
            lock (_gate)
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
        lock (_gate)
        {
            Bury(deleted.Key, deleted.ResourceVersion);
            if (_items.TryGetValue(deleted.Key, out var old) && old.ResourceVersion <= deleted.ResourceVersion)
            {
                _items.TryRemove(deleted.Key, out _);
                Notify(old.Item, null);
            }
        }
    }

    private void Bury(string key, long revision)
    {
        if (_tombstones.GetValueOrDefault(key) >= revision)
        {
            return;
        }

        _tombstones[key] = revision;
        _tombstoneOrder.Enqueue((key, revision));
        while (_tombstoneOrder.Count > TombstoneCapacity)
        {
            var (oldKey, oldRevision) = _tombstoneOrder.Dequeue();
            if (_tombstones.GetValueOrDefault(oldKey) == oldRevision)
            {
                _tombstones.Remove(oldKey);
            }
        }
    }

    private void Store(StoredObject stored)
    {
        using var stream = new MemoryStream(stored.Json, writable: false);
        var item = KubernetesJson.Deserialize<T>(stream);
        var entry = new Entry(item, stored.ResourceVersion);
        lock (_gate)
        {
            if (_tombstones.TryGetValue(stored.Key, out var tombstone))
            {
                if (tombstone >= stored.ResourceVersion)
                {
                    return;
                }

                // A newer object under the same name: created again after the delete.
                _tombstones.Remove(stored.Key);
            }

            T? previous = null;
            if (_items.TryGetValue(stored.Key, out var existing))
            {
                if (existing.ResourceVersion >= stored.ResourceVersion)
                {
                    return;
                }

                previous = existing.Item;
            }

            _items[stored.Key] = entry;
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
