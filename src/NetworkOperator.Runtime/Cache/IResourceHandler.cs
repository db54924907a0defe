namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// Receives cache changes in order. Called synchronously on the informer's dispatch path, so handlers must be quick
/// (enqueue a key, never call the API). Objects are shared with the cache: never modify them.
/// </summary>
public interface IResourceHandler<in T>
{
    /// <param name="obj">The object.</param>
    /// <param name="isInInitialList">True for objects delivered by the first list or replayed to a new handler.</param>
    void OnAdd(T obj, bool isInInitialList);

    /// <summary>Old and new may be the same instance on a resync.</summary>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>The last state the cache knew (after a relist it may be older than the final server state).</summary>
    void OnDelete(T obj);
}

/// <summary>Adapts delegates to <see cref="IResourceHandler{T}"/>.</summary>
public sealed class ResourceHandler<T>(
    Action<T, bool>? onAdd = null,
    Action<T, T>? onUpdate = null,
    Action<T>? onDelete = null) : IResourceHandler<T>
{
    public void OnAdd(T obj, bool isInInitialList) => onAdd?.Invoke(obj, isInInitialList);

    public void OnUpdate(T oldObj, T newObj) => onUpdate?.Invoke(oldObj, newObj);

    public void OnDelete(T obj) => onDelete?.Invoke(obj);
}
