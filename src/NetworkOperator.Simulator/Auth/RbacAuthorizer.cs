using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// The authorization chain of a default kube-apiserver: members of system:masters are allowed everything, then RBAC
/// decides from the stored roles and bindings. Denials carry the resolution errors (a binding to a missing role) as
/// the reason, as the real server appends them to the 403 message.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly RbacIndex _index;

    internal RbacAuthorizer(ObjectStore store)
    {
        _index = new RbacIndex(store);
    }

    public AuthorizationDecision Authorize(AuthorizationAttributes request)
    {
        if (request.User.IsPrivileged)
        {
            return new AuthorizationDecision(true, "");
        }

        var resolved = _index.RulesFor(request.User, request.IsResourceRequest ? request.Namespace : "");
        foreach (var (rule, source) in resolved.Rules)
        {
            if (RbacRules.Allows(request, rule))
            {
                return new AuthorizationDecision(true, $"RBAC: allowed by {source()}");
            }
        }

        return new AuthorizationDecision(false, resolved.ErrorText is { } errors ? $"RBAC: {errors}" : "");
    }

    /// <summary>The RBAC rules that apply to the user in the namespace ("" = cluster-wide bindings only) and resolution errors.</summary>
    public (IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors) RulesFor(UserInfo user, string ns)
    {
        var resolved = _index.RulesFor(user, ns);
        return (resolved.PlainRules, resolved.Errors);
    }

    /// <summary>The rules of the role a binding names, or the real server's NotFound message.</summary>
    public (IReadOnlyList<PolicyRule>? Rules, string? Error) RoleReferenceRules(string kind, string name, string bindingNamespace) =>
        _index.RoleReferenceRules(kind, name, bindingNamespace);
}
