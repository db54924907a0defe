namespace NetworkOperator.Runtime.Reconcile;

/// <summary>Filters cache events before they become reconcile keys; every predicate of a watch must pass.</summary>
public interface IPredicate<in T>
{
    bool Create(T obj) => true;

    bool Update(T oldObj, T newObj) => true;

    bool Delete(T obj) => true;
}

/// <summary>A predicate from delegates; an omitted delegate lets that event type through.</summary>
public sealed class DelegatePredicate<T>(
    Func<T, bool>? create = null,
    Func<T, T, bool>? update = null,
    Func<T, bool>? delete = null) : IPredicate<T>
{
    public bool Create(T obj) => create?.Invoke(obj) ?? true;

    public bool Update(T oldObj, T newObj) => update?.Invoke(oldObj, newObj) ?? true;

    public bool Delete(T obj) => delete?.Invoke(obj) ?? true;
}
