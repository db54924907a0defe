using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Tools.Demo;

/// <summary>Nodes per driver-upgrade state and the cordoned nodes, compared by value.</summary>
internal sealed class NodeStates : IEquatable<NodeStates>
{
    public static readonly NodeStates Empty = new(new SortedDictionary<string, int>(StringComparer.Ordinal), []);

    private NodeStates(SortedDictionary<string, int> upgradeStates, List<string> cordoned) => (UpgradeStates, Cordoned) = (upgradeStates, cordoned);

    public IReadOnlyDictionary<string, int> UpgradeStates { get; }

    public IReadOnlyList<string> Cordoned { get; }

    /// <summary>From listed nodes.</summary>
    public static NodeStates Of(IEnumerable<V1Node> nodes)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var cordoned = new List<string>();
        foreach (var node in nodes)
        {
            if (UpgradeStateOf(node) is { } state)
            {
                counts[state] = counts.GetValueOrDefault(state) + 1;
            }

            if (node.Spec?.Unschedulable == true)
            {
                cordoned.Add(node.Metadata.Name);
            }
        }

        return From(counts, cordoned);
    }

    /// <summary>From counts per state and the cordoned nodes kept elsewhere (both copied).</summary>
    public static NodeStates From(IDictionary<string, int> counts, IEnumerable<string> cordoned)
    {
        var names = cordoned.ToList();
        names.Sort(StringComparer.Ordinal);
        return new NodeStates(new SortedDictionary<string, int>(counts, StringComparer.Ordinal), names);
    }

    /// <summary>The node's driver-upgrade state label, or null.</summary>
    public static string? UpgradeStateOf(V1Node node) =>
        node.Metadata.Labels?.TryGetValue(Labels.UpgradeState, out var state) == true ? state : null;

    public bool Equals(NodeStates? other) =>
        other is not null && UpgradeStates.SequenceEqual(other.UpgradeStates) && Cordoned.SequenceEqual(other.Cordoned);

    public override bool Equals(object? obj) => Equals(obj as NodeStates);

    public override int GetHashCode() => HashCode.Combine(UpgradeStates.Count, Cordoned.Count);
}
