namespace NetworkOperator.Chart.Tests.Rbac;

/// <summary>One permission: verb on group/resource, optionally limited to one object name.</summary>
public sealed record Grant(string ApiGroup, string Resource, string Verb, string? ResourceName = null)
{
    public override string ToString() =>
        $"{Verb} {(ApiGroup.Length == 0 ? "core" : ApiGroup)}/{Resource}{(ResourceName is null ? string.Empty : $" ({ResourceName})")}";
}
