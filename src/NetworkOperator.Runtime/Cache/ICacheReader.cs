using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// Reads from the informer caches (controller-runtime's cache-backed <c>Reader</c>), typed by model or unstructured by
/// kind. Results may lag the server slightly and are shared with the cache: never modify them; clone with
/// <c>KubeObjects.Clone</c> first.
/// </summary>
public interface ICacheReader
{
    T? Get<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    IReadOnlyList<T> List<T>(string? @namespace = null, LabelSelector? selector = null)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Objects whose owner references include <paramref name="ownerUid"/>.</summary>
    IReadOnlyList<T> ListOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>True when <typeparamref name="T"/> is cached and the cache has synced.</summary>
    bool IsCached<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>True when <paramref name="kind"/> has an unstructured informer.</summary>
    bool Serves(ResourceKind kind);

    /// <summary>One object of <paramref name="kind"/> from its unstructured informer; null when absent or not cached.</summary>
    KubeObject? Get(ResourceKind kind, string? @namespace, string name);

    /// <summary>Objects of <paramref name="kind"/> from its unstructured informer; empty when not cached.</summary>
    IReadOnlyList<KubeObject> List(ResourceKind kind, LabelSelector? selector = null, string? @namespace = null);

    /// <summary>Every object of every unstructured informer whose controller owner has <paramref name="ownerUid"/>.</summary>
    IEnumerable<(ResourceKind Kind, KubeObject Object)> ControlledBy(string ownerUid, LabelSelector? selector = null);
}
