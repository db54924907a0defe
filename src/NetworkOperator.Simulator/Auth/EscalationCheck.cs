namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// RBAC privilege-escalation prevention as kube-apiserver applies it to Role/ClusterRole writes and to bindings: the
/// requester must already hold every permission it grants. Usable on its own (tests check rendered roles with it).
/// </summary>
public static class EscalationCheck
{
    /// <summary>The permissions in <paramref name="requested"/> that <paramref name="held"/> does not cover, compacted as the server prints them.</summary>
    public static IReadOnlyList<PolicyRule> Missing(IReadOnlyList<PolicyRule> held, IEnumerable<PolicyRule> requested)
    {
        var (covers, missing) = RbacRules.Covers(held, requested);
        return covers ? [] : RbacRules.Compact(missing);
    }

    /// <summary>The real server's message for an attempted escalation (without the "... is forbidden: " prefix).</summary>
    public static string Message(UserInfo user, IEnumerable<PolicyRule> missing, IReadOnlyList<string>? resolutionErrors = null)
    {
        var lines = missing.Select(r => r.CompactString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var message = $"user {PolicyRule.GoQuote(user.Name)} (groups={PolicyRule.GoQuoted(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n" +
            string.Join("\n", lines);
        if (resolutionErrors is { Count: > 0 })
        {
            message += $"; resolution errors: [{string.Join(" ", resolutionErrors)}]";
        }

        return message;
    }

    /// <summary>Null when the user holds every rule in the namespace ("" = cluster-wide); otherwise the escalation message.</summary>
    public static string? Confirm(RbacAuthorizer authorizer, UserInfo user, string ns, IEnumerable<PolicyRule> rules)
    {
        var (held, errors) = authorizer.RulesFor(user, ns);
        var missing = Missing(held, rules);
        return missing.Count == 0 ? null : Message(user, missing, errors);
    }
}
