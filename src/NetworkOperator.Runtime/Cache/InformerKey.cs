using NetworkOperator.Api;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// What one informer of the factory caches: a kind (group/version/kind), the shape its objects are read into (a model
/// type, or <see cref="Client.KubeObject"/> for unstructured) and, for several differently scoped informers of one
/// kind, the name of the scope (null for the kind's default informer).
/// </summary>
public sealed record InformerKey(ResourceKind Kind, Type Model, string? Scope = null)
{
    public override string ToString() => Scope is null ? $"{Kind.Resource} as {Model.Name}" : $"{Kind.Resource} as {Model.Name} ({Scope})";
}
