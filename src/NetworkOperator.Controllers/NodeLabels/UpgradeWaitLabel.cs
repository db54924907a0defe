using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// <c>mofed.wait</c> while the driver upgrade restarts a node's driver pod. The upgrade knows before anyone sees the
/// pod go that the label must turn "true" (it is about to delete the pod) and knows when the new pod is ready, so it
/// writes the label in the same node patch as its own transitions into and out of <c>pod-restart-required</c>; the
/// wait-label planner leaves nodes in that state alone meanwhile. Two writes per upgraded node fewer, and no moment
/// where one controller's patch undoes the other's.
/// </summary>
public static class UpgradeWaitLabel
{
    /// <summary>Whether the upgrade, not the planner, writes <c>mofed.wait</c> of a node with these labels.</summary>
    public static bool HeldByUpgrade(IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.TryGetValue(Labels.UpgradeState, out var state) && state == UpgradeStates.PodRestartRequired;
    }

    /// <summary>
    /// The <c>mofed.wait</c> value to write with a node's move from <paramref name="from"/> to <paramref name="to"/>,
    /// or null to leave the label as it is. A node without the label yet is the planner's (the driver never ran there);
    /// so is a node's first <c>upgrade-done</c>, which the planner writes with <c>mofed.wait=false</c>.
    /// </summary>
    public static string? For(string from, string to, string? current)
    {
        if (current is null || from == to)
        {
            return null;
        }

        var wanted = to == UpgradeStates.PodRestartRequired ? "true"
            : from == UpgradeStates.PodRestartRequired && to is UpgradeStates.UncordonRequired or UpgradeStates.UpgradeDone ? "false"
            : null;
        return wanted == current ? null : wanted;
    }
}
