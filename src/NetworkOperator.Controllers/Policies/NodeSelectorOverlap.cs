using k8s.Models;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// NicNodePolicies must not select the same node (an upstream rule). Finds every node selected by two or more policies and
/// formats upstream's message: <c>node selector overlap detected: node "X" is selected by policies: [a, b]; ...</c>
/// with nodes and policy names sorted.
/// </summary>
public static class NodeSelectorOverlap
{
    public const string Prefix = "node selector overlap detected: ";

    /// <summary>Null when no node is selected twice, else the message. Only overlaps involving <paramref name="subject"/> count when given.</summary>
    public static string? Detect(IReadOnlyList<NicNodePolicy> policies, IReadOnlyList<V1Node> nodes, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(nodes);
        var overlaps = new List<string>();
        foreach (var node in nodes.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            var selecting = policies.Where(p => Selects(p.Spec.NodeSelector, node)).Select(p => p.Metadata.Name)
                .Order(StringComparer.Ordinal).ToList();
            if (selecting.Count > 1 && (subject is null || selecting.Contains(subject)))
            {
                overlaps.Add($"node \"{node.Metadata.Name}\" is selected by policies: [{string.Join(", ", selecting)}]");
            }
        }

        if (overlaps.Count == 0)
        {
            return null;
        }

        // Bounded: a cluster-wide overlap at 1,000 nodes must not become a megabyte of status.
        var shown = overlaps.Take(StatusMessages.MaxNamesListed).ToList();
        var more = overlaps.Count > shown.Count ? $"; and {overlaps.Count - shown.Count} more nodes" : string.Empty;
        return Prefix + string.Join("; ", shown) + more;
    }

    /// <summary>A node matches when every selector pair matches; an empty selector selects every node.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string>? selector, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata?.Labels;
        return selector is null || selector.All(p => labels is not null && labels.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
