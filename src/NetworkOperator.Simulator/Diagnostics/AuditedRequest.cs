namespace NetworkOperator.Simulator.Diagnostics;

/// <summary>
/// One kind of resource request, in the terms RBAC authorizes: user, verb (get, list, watch, create, update, patch,
/// delete, deletecollection), API group, resource, subresource and namespace (null for cluster-scoped requests).
/// </summary>
public sealed record AuditedRequest(string User, string Verb, string Group, string Resource, string? Subresource, string? Namespace)
{
    /// <summary>The RBAC resource string: "pods" or "pods/eviction".</summary>
    public string RbacResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public override string ToString() =>
        $"{User}: {Verb} {(Group.Length == 0 ? "core" : Group)}/{RbacResource}{(Namespace is null ? string.Empty : $" in {Namespace}")}";
}
