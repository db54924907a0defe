namespace NetworkOperator.Tools.Demo;

/// <summary>Nodes per driver-upgrade state and the cordoned nodes, compared by value.</summary>
internal sealed class NodeStates : IEquatable<NodeStates>
{
    public static readonly NodeStates Empty = new(new SortedDictionary<string, int>(StringComparer.Ordinal), []);

    private NodeStates(SortedDictionary<string, int> upgradeStates, List<string> cordoned) => (UpgradeStates, Cordoned) = (upgradeStates, cordoned);

    public IReadOnlyDictionary<string, int> UpgradeStates { get; }

    public IReadOnlyList<string> Cordoned { get; }

    public static NodeStates Of(IEnumerable<(string Name, string? UpgradeState, bool Cordoned)> nodes)
    {
        var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var cordoned = new List<string>();
        foreach (var (name, state, isCordoned) in nodes)
        {
            if (state is not null)
            {
                states[state] = states.GetValueOrDefault(state) + 1;
            }

            if (isCordoned)
            {
                cordoned.Add(name);
            }
        }

        cordoned.Sort(StringComparer.Ordinal);
        return new NodeStates(states, cordoned);
    }

    /// <summary>From counts per state and the cordoned nodes kept elsewhere (copied).</summary>
    public static NodeStates From(IEnumerable<KeyValuePair<string, int>> counts, IEnumerable<string> cordoned)
    {
        var names = cordoned.ToList();
        names.Sort(StringComparer.Ordinal);
        return new NodeStates(new SortedDictionary<string, int>(counts.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal), names);
    }

    public bool Equals(NodeStates? other) =>
        other is not null && UpgradeStates.SequenceEqual(other.UpgradeStates) && Cordoned.SequenceEqual(other.Cordoned);

    public override bool Equals(object? obj) => Equals(obj as NodeStates);

    public override int GetHashCode() => HashCode.Combine(UpgradeStates.Count, Cordoned.Count);
}
