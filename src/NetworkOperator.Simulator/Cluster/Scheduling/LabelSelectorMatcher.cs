using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>metav1.LabelSelector matching (matchLabels and matchExpressions ANDed; a null selector matches nothing,
/// an empty one everything).</summary>
public static class LabelSelectorMatcher
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            string? value = null;
            var present = labels is not null && labels.TryGetValue(requirement.Key, out value);
            var values = requirement.Values ?? [];
            var ok = requirement.OperatorProperty switch
            {
                "In" => present && values.Contains(value!),
                "NotIn" => !present || !values.Contains(value!),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
