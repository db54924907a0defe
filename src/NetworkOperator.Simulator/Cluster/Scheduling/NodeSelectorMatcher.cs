using System.Globalization;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>
/// nodeSelector and node affinity matching as the scheduler and the DaemonSet controller do it: terms are ORed,
/// expressions and fields within a term are ANDed, an empty term matches nothing.
/// </summary>
public static class NodeSelectorMatcher
{
    public static bool MatchesNodeSelector(V1Node node, IDictionary<string, string>? selector)
    {
        if (selector is null || selector.Count == 0)
        {
            return true;
        }

        var labels = node.Metadata?.Labels;
        foreach (var (key, value) in selector)
        {
            if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The pod's nodeSelector and its required node affinity both hold.</summary>
    public static bool MatchesPod(V1Node node, V1PodSpec spec) =>
        MatchesNodeSelector(node, spec.NodeSelector) &&
        MatchesRequired(node, spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution);

    public static bool MatchesRequired(V1Node node, V1NodeSelector? required)
    {
        if (required?.NodeSelectorTerms is not { } terms)
        {
            return true;
        }

        foreach (var term in terms)
        {
            if (MatchesTerm(node, term))
            {
                return true;
            }
        }

        return false;
    }

    public static bool MatchesTerm(V1Node node, V1NodeSelectorTerm term)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        var labels = node.Metadata?.Labels;
        foreach (var requirement in expressions)
        {
            string? value = null;
            var present = labels is not null && labels.TryGetValue(requirement.Key, out value);
            if (!Matches(requirement, present, value))
            {
                return false;
            }
        }

        foreach (var requirement in fields)
        {
            // metadata.name is the only field the scheduler supports; anything else is invalid and matches nothing.
            if (requirement.Key != "metadata.name" || requirement.OperatorProperty is not ("In" or "NotIn"))
            {
                return false;
            }

            if (!Matches(requirement, true, node.Metadata?.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(V1NodeSelectorRequirement requirement, bool present, string? value)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In":
                return present && values.Contains(value!);
            case "NotIn":
                return !present || !values.Contains(value!);
            case "Exists":
                return present;
            case "DoesNotExist":
                return !present;
            case "Gt":
            case "Lt":
                if (!present || values.Count != 1 ||
                    !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual) ||
                    !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                {
                    return false;
                }

                return requirement.OperatorProperty == "Gt" ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>
    /// The single node a term list pins to through <c>matchFields metadata.name In [x]</c> (how DaemonSet pods are
    /// targeted), so the scheduler can skip evaluating every other node.
    /// </summary>
    public static string? PinnedNodeName(V1PodSpec spec)
    {
        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is not { Count: 1 })
        {
            return null;
        }

        foreach (var field in terms[0].MatchFields ?? [])
        {
            if (field.Key == "metadata.name" && field.OperatorProperty == "In" && field.Values is { Count: 1 })
            {
                return field.Values[0];
            }
        }

        return null;
    }
}
