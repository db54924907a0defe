using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Informers;

/// <summary>Objects grouped by the uid of their controller owner, kept up to date from an informer's events, so a
/// controller finds its pods without scanning every pod in the cluster.</summary>
internal sealed class OwnerIndex<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, T>> _byOwner = new(StringComparer.Ordinal);

    public OwnerIndex(Informer<T> informer, string ownerKind)
    {
        informer.OnChange((old, current) =>
        {
            if (old is not null && Owner(old, ownerKind) is { } oldOwner && _byOwner.TryGetValue(oldOwner, out var set))
            {
                set.TryRemove(Informer<T>.KeyOf(old), out _);
            }

            if (current is not null && Owner(current, ownerKind) is { } owner)
            {
                _byOwner.GetOrAdd(owner, _ => new(StringComparer.Ordinal))[Informer<T>.KeyOf(current)] = current;
            }
        });
    }

    /// <summary>
    /// The owner's objects, enumerated live (a concurrent change may or may not show): <c>Values</c> would take every
    /// lock of the set and copy it, once per sync of a DaemonSet with a pod on each of thousands of nodes.
    /// </summary>
    public IEnumerable<T> Of(string? ownerUid) =>
        ownerUid is not null && _byOwner.TryGetValue(ownerUid, out var set) ? Live(set) : [];

    private static IEnumerable<T> Live(ConcurrentDictionary<string, T> set)
    {
        foreach (var (_, item) in set)
        {
            yield return item;
        }
    }

    public static string? Owner(T obj, string kind) =>
        obj.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == kind)?.Uid;
}
