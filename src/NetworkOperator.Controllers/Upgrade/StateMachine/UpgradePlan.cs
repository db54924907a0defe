namespace NetworkOperator.Controllers.Upgrade;

/// <summary>The result of one decision pass: actions in execution order and the progress they lead to.</summary>
public sealed record UpgradePlan(IReadOnlyList<UpgradeAction> Actions, UpgradeSummary Summary)
{
    /// <summary>Why nothing at all could be decided this pass (for example a DaemonSet with unscheduled pods), or null.</summary>
    public string? Stalled { get; init; }

    /// <summary>The nodes running one of the policy's driver pods in the snapshot (those a cleanup would visit).</summary>
    public IReadOnlySet<string> ManagedNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
