using k8s.Models;
using NetworkOperator.Runtime.Cache;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Structured label selectors (DaemonSets, PodDisruptionBudgets) evaluated with the runtime's selector.</summary>
public static class LabelSelectors
{
    /// <summary>
    /// Converts <paramref name="selector"/> to the string syntax. A null selector selects nothing (as for a PDB) and an
    /// empty one everything, so the caller decides which applies by passing null through <paramref name="nullMatchesAll"/>.
    /// </summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels, bool nullMatchesAll = false)
    {
        if (selector is null)
        {
            return nullMatchesAll;
        }

        return LabelSelector.Parse(ToText(selector)).Matches(labels);
    }

    public static string ToText(V1LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var terms = new List<string>();
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            terms.Add($"{key}={value}");
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var values = string.Join(',', expression.Values ?? []);
            terms.Add(expression.OperatorProperty switch
            {
                "In" => $"{expression.Key} in ({values})",
                "NotIn" => $"{expression.Key} notin ({values})",
                "Exists" => expression.Key,
                "DoesNotExist" => "!" + expression.Key,
                _ => throw new FormatException($"Unknown label selector operator \"{expression.OperatorProperty}\" for key {expression.Key}."),
            });
        }

        return string.Join(',', terms);
    }
}
