using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// What a reconcile request carries: namespace and name only, never the event or the object, so the reconciler must
/// read current state (level-based; missed or coalesced events are harmless).
/// </summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(NullIfEmpty(obj.Metadata?.NamespaceProperty), obj.Metadata?.Name ?? string.Empty);
    }

    /// <summary>Parses <c>namespace/name</c> or <c>name</c> (cluster-scoped).</summary>
    public static ObjectKey Parse(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ObjectKey(null, key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";

    internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
