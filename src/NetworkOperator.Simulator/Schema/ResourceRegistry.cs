using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Schema;

/// <summary>
/// The set of served types. Reads are lock-free over an immutable snapshot because every request resolves its type
/// here; CRD registration swaps the snapshot.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly object _writeLock = new();
    private Snapshot _snapshot;

    public ResourceRegistry()
    {
        _snapshot = Snapshot.Build(BuiltInResources.Create());
    }

    /// <summary>Changes whenever the set of served types changes, so discovery documents can be cached.</summary>
    public long Generation => _snapshot.Generation;

    public IReadOnlyList<ResourceType> All => _snapshot.Types;

    public ResourceType? Find(string group, string version, string plural) =>
        _snapshot.ByGvr.TryGetValue((group, version, plural), out var type) ? type : null;

    public ResourceType? FindByKind(string group, string version, string kind) =>
        _snapshot.ByGvk.TryGetValue((group, version, kind), out var type) ? type : null;

    /// <summary>Any served version of a group and plural, preferring the storage version.</summary>
    public ResourceType? FindAnyVersion(string group, string plural) =>
        _snapshot.Types.Where(t => t.Group == group && t.Plural == plural).OrderByDescending(t => t.IsStorageVersion).FirstOrDefault();

    public IReadOnlyList<ResourceType> TypesWithStorageKey(string storageKey) =>
        _snapshot.Types.Where(t => t.StorageKey == storageKey).ToList();

    /// <summary>Serves (or re-serves) every served version of a CRD. Returns the registered types.</summary>
    public IReadOnlyList<ResourceType> RegisterCustomResource(JsonObject crd)
    {
        var types = CustomResourceTypes.FromDefinition(crd);
        lock (_writeLock)
        {
            var group = types.Count > 0 ? types[0].Group : "";
            var plural = types.Count > 0 ? types[0].Plural : "";
            var kept = _snapshot.Types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural));
            _snapshot = Snapshot.Build(kept.Concat(types).ToList(), _snapshot.Generation + 1);
        }

        return types;
    }

    public void UnregisterCustomResource(string group, string plural)
    {
        lock (_writeLock)
        {
            var kept = _snapshot.Types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)).ToList();
            _snapshot = Snapshot.Build(kept, _snapshot.Generation + 1);
        }
    }

    private sealed record Snapshot(
        IReadOnlyList<ResourceType> Types,
        ImmutableDictionary<(string, string, string), ResourceType> ByGvr,
        ImmutableDictionary<(string, string, string), ResourceType> ByGvk,
        long Generation)
    {
        public static Snapshot Build(IReadOnlyList<ResourceType> types, long generation = 1)
        {
            var byGvr = ImmutableDictionary.CreateBuilder<(string, string, string), ResourceType>();
            var byGvk = ImmutableDictionary.CreateBuilder<(string, string, string), ResourceType>();
            foreach (var type in types)
            {
                byGvr[(type.Group, type.Version, type.Plural)] = type;
                byGvk[(type.Group, type.Version, type.Kind)] = type;
            }

            return new Snapshot(types, byGvr.ToImmutable(), byGvk.ToImmutable(), generation);
        }
    }
}
