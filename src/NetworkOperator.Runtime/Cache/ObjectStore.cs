using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// Thread-safe object store keyed by namespace/name with secondary indexes by namespace, by owner UID and by label
/// pair (<c>key=value</c>), so controllers find children and selections without scanning the whole kind; plus named
/// indexes a controller adds (<see cref="AddIndex"/>, as client-go's indexers), such as pods by node.
/// </summary>
public sealed class ObjectStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, T> _items = [];
    private readonly Dictionary<string, HashSet<ObjectKey>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _byLabel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamedIndex> _named = new(StringComparer.Ordinal);

    private sealed record NamedIndex(Func<T, string?> KeyOf, Dictionary<string, HashSet<ObjectKey>> Entries);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    /// <summary>Inserts or replaces; returns the previous object if there was one.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_lock)
        {
            if (_items.Remove(key, out var old))
            {
                Unindex(key, old);
            }

            _items[key] = obj;
            Index(key, obj);
            return old;
        }
    }

    /// <summary>
    /// Inserts or replaces unless the stored copy has a higher resourceVersion (so a late, older copy never rolls the
    /// cache back). Returns whether <paramref name="obj"/> was stored, and the copy it replaced.
    /// </summary>
    public bool UpsertIfNewer(T obj, out T? previous)
    {
        var key = ObjectKey.Of(obj);
        lock (_lock)
        {
            previous = _items.GetValueOrDefault(key);
            if (previous is not null && ResourceVersions.IsOlder(obj.Metadata.ResourceVersion, previous.Metadata.ResourceVersion))
            {
                return false;
            }

            if (previous is not null)
            {
                _items.Remove(key);
                Unindex(key, previous);
            }

            _items[key] = obj;
            Index(key, obj);
            return true;
        }
    }

    /// <summary>Removes the object unless the stored copy is newer than <paramref name="deleted"/> (a re-creation).</summary>
    public T? RemoveIfNotNewer(T deleted)
    {
        var key = ObjectKey.Of(deleted);
        lock (_lock)
        {
            if (!_items.TryGetValue(key, out var old) || ResourceVersions.IsOlder(deleted.Metadata.ResourceVersion, old.Metadata.ResourceVersion))
            {
                return null;
            }

            _items.Remove(key);
            Unindex(key, old);
            return old;
        }
    }

    public T? Remove(ObjectKey key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    public IReadOnlyList<T> List(string? @namespace = null, LabelSelector? selector = null)
    {
        lock (_lock)
        {
            IEnumerable<ObjectKey> keys;
            var narrowed = selector?.RequiredPairs.FirstOrDefault();
            if (narrowed is { Key: not null } pair)
            {
                keys = _byLabel.TryGetValue(LabelKey(pair.Key, pair.Value), out var set) ? set : [];
            }
            else if (!string.IsNullOrEmpty(@namespace))
            {
                keys = _byNamespace.TryGetValue(@namespace, out var set) ? set : [];
            }
            else
            {
                keys = _items.Keys;
            }

            var result = new List<T>();
            foreach (var key in keys)
            {
                var obj = _items[key];
                if (!string.IsNullOrEmpty(@namespace) && key.Namespace != @namespace)
                {
                    continue;
                }

                if (selector is not null && !selector.Matches(obj.Metadata.Labels))
                {
                    continue;
                }

                result.Add(obj);
            }

            return result;
        }
    }

    /// <summary>Objects that list <paramref name="ownerUid"/> among their owner references.</summary>
    public IReadOnlyList<T> ListByOwner(string ownerUid)
    {
        lock (_lock)
        {
            return _byOwner.TryGetValue(ownerUid, out var set) ? set.Select(k => _items[k]).ToList() : [];
        }
    }

    /// <summary>
    /// Adds a named index: <paramref name="keyOf"/> gives an object's value under it (null leaves the object out) and
    /// must depend only on the object. Objects already stored are indexed at once. Adding the same name again with the
    /// same function is a no-op, so two controllers sharing an informer may both ask for the index they need.
    /// </summary>
    public void AddIndex(string name, Func<T, string?> keyOf)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(keyOf);
        lock (_lock)
        {
            if (_named.TryGetValue(name, out var existing))
            {
                if (existing.KeyOf != keyOf)
                {
                    throw new InvalidOperationException($"the index '{name}' already exists with another key function");
                }

                return;
            }

            var index = new NamedIndex(keyOf, new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal));
            _named[name] = index;
            foreach (var (key, obj) in _items)
            {
                if (keyOf(obj) is { } value)
                {
                    Add(index.Entries, value, key);
                }
            }
        }
    }

    /// <summary>The objects whose value under the named index is <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ListByIndex(string name, string value)
    {
        lock (_lock)
        {
            if (!_named.TryGetValue(name, out var index))
            {
                throw new InvalidOperationException($"no index named '{name}'");
            }

            return index.Entries.TryGetValue(value, out var set) ? set.Select(k => _items[k]).ToList() : [];
        }
    }

    public IReadOnlyList<ObjectKey> Keys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    private static string LabelKey(string key, string value) => string.Concat(key, "=", value);

    private void Index(ObjectKey key, T obj)
    {
        if (key.Namespace is { } ns)
        {
            Add(_byNamespace, ns, key);
        }

        foreach (var owner in obj.Metadata.OwnerReferences ?? [])
        {
            if (!string.IsNullOrEmpty(owner.Uid))
            {
                Add(_byOwner, owner.Uid, key);
            }
        }

        foreach (var label in obj.Metadata.Labels ?? new Dictionary<string, string>())
        {
            Add(_byLabel, LabelKey(label.Key, label.Value), key);
        }

        foreach (var index in _named.Values)
        {
            if (index.KeyOf(obj) is { } value)
            {
                Add(index.Entries, value, key);
            }
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        if (key.Namespace is { } ns)
        {
            Drop(_byNamespace, ns, key);
        }

        foreach (var owner in obj.Metadata.OwnerReferences ?? [])
        {
            if (!string.IsNullOrEmpty(owner.Uid))
            {
                Drop(_byOwner, owner.Uid, key);
            }
        }

        foreach (var label in obj.Metadata.Labels ?? new Dictionary<string, string>())
        {
            Drop(_byLabel, LabelKey(label.Key, label.Value), key);
        }

        foreach (var index in _named.Values)
        {
            if (index.KeyOf(obj) is { } value)
            {
                Drop(index.Entries, value, key);
            }
        }
    }

    private static void Add(Dictionary<string, HashSet<ObjectKey>> index, string value, ObjectKey key)
    {
        if (!index.TryGetValue(value, out var set))
        {
            index[value] = set = [];
        }

        set.Add(key);
    }

    private static void Drop(Dictionary<string, HashSet<ObjectKey>> index, string value, ObjectKey key)
    {
        if (index.TryGetValue(value, out var set) && set.Remove(key) && set.Count == 0)
        {
            index.Remove(value);
        }
    }
}
