namespace NetworkOperator.Api;

/// <summary>
/// Declares the scope of a kind on its model, next to its <c>[KubernetesEntity]</c> attribute, so the kind registry,
/// the client, the caches and the CRD generator derive it from the type instead of a table kept elsewhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EntityScopeAttribute(EntityScope scope) : Attribute
{
    public EntityScope Scope { get; } = scope;
}
