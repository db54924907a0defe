using k8s;
using k8s.Models;
using NetworkOperator.Api;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>Object → key mappings used by the builder's For and Owns.</summary>
public static class Mappings
{
    public static IEnumerable<ObjectKey> Self<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        yield return ObjectKey.Of(obj);
    }

    /// <summary>
    /// Maps a child to its controller owner of <paramref name="owner"/>'s kind (the owner reference with
    /// <c>controller: true</c>, like <c>EnqueueRequestForOwner(OnlyControllerOwner)</c>). A cluster-scoped owner's key
    /// has no namespace; a namespaced owner shares the child's namespace.
    /// </summary>
    public static Func<T, IEnumerable<ObjectKey>> ControllerOwner<T>(ResourceKind owner)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(owner);
        return obj => OwnerKeys(obj, owner);
    }

    private static IEnumerable<ObjectKey> OwnerKeys<T>(T obj, ResourceKind owner)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        foreach (var reference in obj.Metadata.OwnerReferences ?? [])
        {
            if (reference.Controller != true || reference.Kind != owner.Kind || GroupOf(reference.ApiVersion) != owner.Group)
            {
                continue;
            }

            yield return new ObjectKey(owner.Namespaced ? ObjectKey.NullIfEmpty(obj.Metadata.NamespaceProperty) : null,
                reference.Name);
        }
    }

    private static string GroupOf(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return string.Empty;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }
}
