namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// RBAC rule semantics as kube-apiserver evaluates them: whether a rule allows a request (wildcards, `*/subresource`,
/// resourceNames, nonResourceURL prefixes), and whether one set of rules covers another (the escalation check).
/// </summary>
public static class RbacRules
{
    public const string All = "*";

    public static bool Allows(AuthorizationAttributes request, PolicyRule rule)
    {
        if (!VerbMatches(rule, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return rule.NonResourceUrls.Any(url => url == All || url == request.Path
                || (url.EndsWith('*') && request.Path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
        }

        var combined = request.Subresource.Length > 0 ? $"{request.Resource}/{request.Subresource}" : request.Resource;
        return rule.ApiGroups.Any(g => g == All || g == request.ApiGroup)
            && ResourceMatches(rule, combined, request.Subresource)
            && (rule.ResourceNames.Count == 0 || rule.ResourceNames.Contains(request.Name, StringComparer.Ordinal));
    }

    public static bool AllowsAny(AuthorizationAttributes request, IEnumerable<PolicyRule> rules) => rules.Any(r => Allows(request, r));

    /// <summary>Whether <paramref name="owner"/> covers every permission of <paramref name="servant"/>; the rules it does not cover, one permission each.</summary>
    public static (bool Covers, IReadOnlyList<PolicyRule> Missing) Covers(IReadOnlyList<PolicyRule> owner, IEnumerable<PolicyRule> servant)
    {
        var missing = new List<PolicyRule>();
        foreach (var subrule in servant.SelectMany(Breakdown))
        {
            if (!owner.Any(o => RuleCovers(o, subrule)))
            {
                missing.Add(subrule);
            }
        }

        return (missing.Count == 0, missing);
    }

    /// <summary>A rule split into rules of one group, resource, verb and resource name (or one URL and verb).</summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count > 0)
                    {
                        foreach (var name in rule.ResourceNames)
                        {
                            yield return PolicyRule.For([verb], [group], [resource], [name]);
                        }
                    }
                    else
                    {
                        yield return PolicyRule.For([verb], [group], [resource]);
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return PolicyRule.ForUrls([verb], [url]);
            }
        }
    }

    /// <summary>Merges rules of one group and one resource (no names, no URLs) that differ only by verb, as the server does before printing them.</summary>
    public static IReadOnlyList<PolicyRule> Compact(IEnumerable<PolicyRule> rules)
    {
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string, string), List<string>>();
        var order = new List<(string, string)>();
        foreach (var rule in rules)
        {
            if (rule is { ResourceNames.Count: 0, NonResourceUrls.Count: 0, ApiGroups.Count: 1, Resources.Count: 1 })
            {
                var key = (rule.ApiGroups[0], rule.Resources[0]);
                if (!simple.TryGetValue(key, out var verbs))
                {
                    simple[key] = verbs = [];
                    order.Add(key);
                }

                verbs.AddRange(rule.Verbs);
            }
            else
            {
                compacted.Add(rule);
            }
        }

        compacted.AddRange(order.Select(k => PolicyRule.For(simple[k], [k.Item1], [k.Item2])));
        return compacted;
    }

    private static bool VerbMatches(PolicyRule rule, string verb) => rule.Verbs.Any(v => v == All || v == verb);

    private static bool ResourceMatches(PolicyRule rule, string combined, string subresource)
    {
        foreach (var resource in rule.Resources)
        {
            if (resource == All || resource == combined)
            {
                return true;
            }

            if (subresource.Length > 0 && resource.Length == subresource.Length + 2 && resource.StartsWith("*/", StringComparison.Ordinal)
                && resource.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool RuleCovers(PolicyRule owner, PolicyRule sub)
    {
        var verbs = owner.Verbs.Contains(All) || sub.Verbs.All(owner.Verbs.Contains);
        var groups = owner.ApiGroups.Contains(All) || sub.ApiGroups.All(owner.ApiGroups.Contains);
        var resources = ResourcesCover(owner.Resources, sub.Resources);
        var urls = sub.NonResourceUrls.All(path => owner.NonResourceUrls.Any(o =>
            o == path || (o.EndsWith('*') && path.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))));
        var names = sub.ResourceNames.Count == 0
            ? owner.ResourceNames.Count == 0
            : owner.ResourceNames.Count == 0 || sub.ResourceNames.All(owner.ResourceNames.Contains);
        return verbs && groups && resources && urls && names;
    }

    private static bool ResourcesCover(IReadOnlyList<string> owner, IReadOnlyList<string> covered)
    {
        if (owner.Contains(All) || covered.All(owner.Contains))
        {
            return true;
        }

        foreach (var path in covered)
        {
            if (owner.Contains(path))
            {
                continue;
            }

            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !owner.Contains("*/" + path[(slash + 1)..]))
            {
                return false;
            }
        }

        return true;
    }
}
