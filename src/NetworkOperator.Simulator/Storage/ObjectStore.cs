using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Selectors;
using NetworkOperator.Simulator.Watch;

namespace NetworkOperator.Simulator.Storage;

/// <summary>
/// The storage of every object, like etcd behind the real server: one global revision counter, compare-and-swap
/// commits, and a bounded per-type history that watches replay from. One lock orders commits so resource versions
/// and history stay monotonic; an object is serialized once per commit before it and only gets its revision spliced in
/// under it; fan-out only enqueues. Gets and
/// lists read concurrent maps without the lock, so readers never queue behind writers.
/// </summary>
internal sealed class ObjectStore
{
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string StorageKey, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly int _historyCapacity;
    private readonly int _watcherCapacity;
    private long _revision;

    public ObjectStore(int historyCapacity, int watcherCapacity)
    {
        _historyCapacity = historyCapacity;
        _watcherCapacity = watcherCapacity;
    }

    /// <summary>Called after each commit (outside no lock guarantees; keep it cheap): drives controllers such as GC.</summary>
    public event Action<string, WatchEvent>? Committed;

    public long Revision => Volatile.Read(ref _revision);

    public StoredObject? Get(string storageKey, string ns, string name) =>
        _tables.TryGetValue(storageKey, out var table) && table.Items.TryGetValue(StoredObject.KeyOf(ns, name), out var obj)
            ? obj
            : null;

    /// <summary>
    /// Lists in key order after <paramref name="continueAfter"/>. The revision is read before the items, so a list may
    /// include changes newer than the revision it reports (a watch from it then repeats them) but never misses one.
    /// A continued list reports the first page's <paramref name="listRevision"/>, as kube-apiserver does: the pages are
    /// read now, so they too may hold newer changes, which a watch from that revision repeats. Once the history no
    /// longer reaches back to it, such a watch could miss changes, so the continuation fails with 410 Expired, as
    /// kube-apiserver's does after compaction.
    /// </summary>
    public (List<StoredObject> Items, long Revision, bool HasMore, long Remaining) List(string storageKey, string? ns,
        Func<StoredObject, bool> predicate, int limit, string? continueAfter, long? listRevision = null)
    {
        var revision = listRevision ?? Volatile.Read(ref _revision);
        var items = new List<StoredObject>();
        if (!_tables.TryGetValue(storageKey, out var table))
        {
            return (items, revision, false, 0);
        }

        if (listRevision is { } first && first < table.EvictedUpTo)
        {
            throw ApiErrors.Gone("The provided continue parameter is too old to display a consistent list result. "
                + "You can start a new list without the continue parameter.");
        }

        var candidates = new List<StoredObject>();
        foreach (var (key, obj) in table.In(ns))
        {
            if (continueAfter is not null && string.CompareOrdinal(key, continueAfter) <= 0)
            {
                continue;
            }

            if (predicate(obj))
            {
                candidates.Add(obj);
            }
        }

        candidates.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        if (limit > 0 && candidates.Count > limit)
        {
            return (candidates.GetRange(0, limit), revision, true, candidates.Count - limit);
        }

        return (candidates, revision, false, 0);
    }

    /// <summary>The current objects of one namespace (or of all, when <paramref name="ns"/> is null), unordered and unpaged.</summary>
    public IEnumerable<StoredObject> Current(string storageKey, string? ns)
    {
        if (!_tables.TryGetValue(storageKey, out var table))
        {
            yield break;
        }

        foreach (var (_, obj) in table.In(ns))
        {
            yield return obj;
        }
    }

    public IReadOnlyList<StoredObject> Dependents(string ownerUid)
    {
        lock (_lock)
        {
            if (!_dependents.TryGetValue(ownerUid, out var keys))
            {
                return [];
            }

            var result = new List<StoredObject>();
            foreach (var (storageKey, key) in keys)
            {
                if (_tables.TryGetValue(storageKey, out var table) && table.Items.TryGetValue(key, out var obj))
                {
                    result.Add(obj);
                }
            }

            return result;
        }
    }

    /// <summary>
    /// etcd's default request limit (1.5 MiB), which bounds every stored object on a real cluster; the serialized object
    /// stands in for etcd's request.
    /// </summary>
    public const int MaxObjectBytes = 1536 * 1024;

    /// <summary>
    /// Creates, replaces or removes one object atomically. <paramref name="expected"/> is the revision the caller read
    /// (0: the object must not exist). A mismatch throws Conflict (or AlreadyExists / NotFound).
    /// </summary>
    public StoredObject Commit(ResourceType type, string ns, string name, long expected, JsonObject? newObject)
    {
        WatchEvent change;

        // Serialized before the lock: commits queue only for the revision and the bookkeeping, not for each other's JSON.
        var prepared = newObject is null ? null : StoredObject.Prepare(type, newObject);
        lock (_lock)
        {
            var table = TableOf(type.StorageKey);
            var key = StoredObject.KeyOf(ns, name);
            table.Items.TryGetValue(key, out var current);
            if (expected == 0 && current is not null)
            {
                throw ApiErrors.AlreadyExists(type, name);
            }

            if (expected != 0 && current is null)
            {
                throw ApiErrors.NotFound(type, name);
            }

            if (expected != 0 && current!.ResourceVersion != expected)
            {
                throw ApiErrors.Conflict(type, name);
            }

            var revision = _revision + 1;
            StoredObject stored;
            if (newObject is null)
            {
                var last = current!.ToJsonObject();
                stored = StoredObject.Create(type, last, revision);
                table.Remove(key, ns);
                change = new WatchEvent(WatchEventType.Deleted, stored, current);
            }
            else
            {
                stored = prepared!.Stamp(revision);
                if (stored.Json.Length > MaxObjectBytes)
                {
                    throw ApiErrors.StorageRequestTooLarge();
                }

                table.Put(key, ns, stored);
                change = new WatchEvent(current is null ? WatchEventType.Added : WatchEventType.Modified, stored, current);
            }

            Volatile.Write(ref _revision, revision);
            IndexOwners(type.StorageKey, key, current, newObject is null ? null : stored);
            table.Append(change, _historyCapacity);
            foreach (var watcher in table.Watchers)
            {
                watcher.Offer(change);
            }
        }

        Committed?.Invoke(type.StorageKey, change);
        return change.Object;
    }

    /// <summary>Removes every object of a type (CRD deletion) and tells its watchers.</summary>
    public IReadOnlyList<StoredObject> Snapshot(string storageKey) =>
        _tables.TryGetValue(storageKey, out var table) ? table.Items.Values.ToList() : [];

    /// <summary>
    /// Opens a watcher. Registration and the initial state (current objects, or history after
    /// <paramref name="fromRevision"/>) are taken under one lock, so no change is lost or seen twice.
    /// </summary>
    public Watcher Watch(string storageKey, string? ns, LabelSelector labels, FieldSelector fields, long? fromRevision,
        bool sendInitial, out long startRevision, out List<WatchDelivery> initial)
    {
        lock (_lock)
        {
            var table = TableOf(storageKey);
            var watcher = new Watcher(storageKey, ns, labels, fields, _watcherCapacity);
            startRevision = _revision;
            initial = [];
            if (fromRevision is { } from && from < table.EvictedUpTo)
            {
                throw ApiErrors.Gone($"too old resource version: {from} ({table.EvictedUpTo + 1})");
            }

            if (sendInitial || fromRevision is null)
            {
                foreach (var obj in table.Items.Values.OrderBy(o => o.Key, StringComparer.Ordinal))
                {
                    if (watcher.Matches(obj))
                    {
                        initial.Add(new WatchDelivery(WatchEventType.Added, new WatchEvent(WatchEventType.Added, obj, null)));
                    }
                }
            }
            else
            {
                var replay = new Watcher(storageKey, ns, labels, fields, int.MaxValue);
                foreach (var change in table.HistoryAfter(fromRevision.Value))
                {
                    replay.Offer(change);
                }

                while (replay.Reader.TryRead(out var delivery))
                {
                    initial.Add(delivery);
                }
            }

            table.Watchers = [.. table.Watchers, watcher];
            watcher.OnClose = Unregister;
            return watcher;
        }
    }

    /// <summary>
    /// Queues a BOOKMARK at the current revision. Taken under the commit lock, so every change up to that revision is
    /// already queued before it and the bookmark never overtakes an event.
    /// </summary>
    public void Bookmark(Watcher watcher, ResourceType type, Func<long, JsonObject> build)
    {
        lock (_lock)
        {
            var stored = StoredObject.Create(type, build(_revision), _revision);
            watcher.Deliver(new WatchDelivery(WatchEventType.Bookmark, new WatchEvent(WatchEventType.Bookmark, stored, null)));
        }
    }

    public IReadOnlyList<Watcher> AllWatchers()
    {
        lock (_lock)
        {
            return _tables.Values.SelectMany(t => t.Watchers).ToList();
        }
    }

    public int ObjectCount() => _tables.Values.Sum(t => t.Items.Count);

    private void Unregister(Watcher watcher)
    {
        lock (_lock)
        {
            if (_tables.TryGetValue(watcher.StorageKey, out var table))
            {
                table.Watchers = table.Watchers.Where(w => !ReferenceEquals(w, watcher)).ToArray();
            }
        }
    }

    private void IndexOwners(string storageKey, string key, StoredObject? before, StoredObject? after)
    {
        if (before is not null)
        {
            foreach (var owner in before.OwnerUids)
            {
                if (_dependents.TryGetValue(owner, out var set))
                {
                    set.Remove((storageKey, key));
                    if (set.Count == 0)
                    {
                        _dependents.Remove(owner);
                    }
                }
            }
        }

        if (after is not null)
        {
            foreach (var owner in after.OwnerUids)
            {
                if (!_dependents.TryGetValue(owner, out var set))
                {
                    set = [];
                    _dependents[owner] = set;
                }

                set.Add((storageKey, key));
            }
        }
    }

    private Table TableOf(string storageKey) => _tables.GetOrAdd(storageKey, static _ => new Table());

    private sealed class Table
    {
        private WatchEvent?[] _history = [];
        private int _start;
        private int _count;

        public ConcurrentDictionary<string, StoredObject> Items { get; } = new(StringComparer.Ordinal);

        // The same objects by namespace: a namespaced list or budget recompute reads its namespace, not the cluster's
        // ten thousand daemon pods. Written only under the store's commit lock, like Items.
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, StoredObject>> _byNamespace = new(StringComparer.Ordinal);

        public void Put(string key, string ns, StoredObject obj)
        {
            Items[key] = obj;
            _byNamespace.GetOrAdd(ns, static _ => new ConcurrentDictionary<string, StoredObject>(StringComparer.Ordinal))[key] = obj;
        }

        public void Remove(string key, string ns)
        {
            Items.TryRemove(key, out _);
            if (_byNamespace.TryGetValue(ns, out var objects))
            {
                objects.TryRemove(key, out _);
            }
        }

        /// <summary>The objects of <paramref name="ns"/>, or of every namespace when it is null.</summary>
        public ConcurrentDictionary<string, StoredObject> In(string? ns) =>
            ns is null ? Items : _byNamespace.TryGetValue(ns, out var objects) ? objects : Empty;

        private static readonly ConcurrentDictionary<string, StoredObject> Empty = new(StringComparer.Ordinal);

        public Watcher[] Watchers { get; set; } = [];

        /// <summary>The newest revision no longer in history: watches from older revisions get 410 Expired.</summary>
        public long EvictedUpTo { get; private set; }

        public void Append(WatchEvent change, int capacity)
        {
            if (_history.Length == 0)
            {
                _history = new WatchEvent?[capacity];
            }

            if (_count == _history.Length)
            {
                EvictedUpTo = _history[_start]!.ResourceVersion;
                _history[_start] = change;
                _start = (_start + 1) % _history.Length;
                return;
            }

            _history[(_start + _count) % _history.Length] = change;
            _count++;
        }

        public IEnumerable<WatchEvent> HistoryAfter(long revision)
        {
            for (var i = 0; i < _count; i++)
            {
                var change = _history[(_start + i) % _history.Length]!;
                if (change.ResourceVersion > revision)
                {
                    yield return change;
                }
            }
        }
    }
}
