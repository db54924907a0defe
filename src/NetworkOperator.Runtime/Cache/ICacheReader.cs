using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// Reads from the informer caches (controller-runtime's cache-backed <c>Reader</c>). Results may lag the server
/// slightly and are shared with the cache: never modify them; clone with <c>KubeObjects.Clone</c> first.
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
}
