namespace NetworkOperator.Tools.Demo;

/// <summary>One look at an upgrade in progress.</summary>
internal sealed record UpgradeView(int Nodes, int Upgraded, IReadOnlyDictionary<string, int> NodesByState, IReadOnlyList<string> Cordoned,
    IReadOnlyList<string> Failed, int MaxCordoned)
{
    public bool Done => Nodes > 0 && Upgraded == Nodes;

    /// <summary>Every node either upgraded or failed, at least one failed: nothing more will happen without a person.</summary>
    public bool Stuck => Failed.Count > 0 && Upgraded + Failed.Count == Nodes && Cordoned.Count <= Failed.Count;
}
