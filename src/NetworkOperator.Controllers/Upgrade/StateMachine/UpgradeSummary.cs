namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Progress of one policy's upgrade: node counts per state and the nodes that are blocked or failed.</summary>
public sealed record UpgradeSummary(
    IReadOnlyDictionary<string, int> NodeCountsByState,
    IReadOnlyList<NodeProblem> Blocked,
    IReadOnlyList<NodeProblem> Failed)
{
    public static UpgradeSummary Empty { get; } = new(new Dictionary<string, int>(), [], []);

    public int ManagedNodes => NodeCountsByState.Values.Sum();

    public int CountOf(string state) => NodeCountsByState.TryGetValue(state, out var count) ? count : 0;
}

/// <summary>A node and why it does not progress.</summary>
public sealed record NodeProblem(string Node, string Reason);
