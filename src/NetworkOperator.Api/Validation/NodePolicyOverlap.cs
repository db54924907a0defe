using k8s.Models;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Which nodes several NicNodePolicies select. Shared by admission (reject the policy) and the NicNodePolicy controller
/// (report the overlap in status), so both say the same thing.
/// </summary>
public static class NodePolicyOverlap
{
    public const string MessagePrefix = "node selector overlap detected: ";

    /// <summary>A node matches when it carries every selector pair; an empty selector matches every node.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string>? selector, V1Node node)
    {
        if (selector is null || selector.Count == 0)
        {
            return true;
        }

        var labels = node.Metadata?.Labels;
        return labels is not null && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    /// <summary>Nodes selected by two or more policies, sorted by node name.</summary>
    public static IReadOnlyList<NodeOverlap> Find(IEnumerable<NicNodePolicy> policies, IEnumerable<V1Node> nodes)
    {
        var policyList = policies.ToList();
        return nodes
            .Where(n => n.Metadata?.Name is not null)
            .Select(n => new NodeOverlap(
                n.Metadata.Name,
                policyList.Where(p => Selects(p.Spec.NodeSelector, n)).Select(p => p.Metadata.Name ?? string.Empty)
                    .Order(StringComparer.Ordinal).ToList()))
            .Where(o => o.PolicyNames.Count > 1)
            .OrderBy(o => o.NodeName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary><c>node selector overlap detected: node "a" is selected by policies: [p, q]; node "b" ...</c></summary>
    public static string Describe(IReadOnlyList<NodeOverlap> overlaps) =>
        MessagePrefix + string.Join("; ", overlaps.Select(o => $"node \"{o.NodeName}\" is selected by policies: [{string.Join(", ", o.PolicyNames)}]"));
}
