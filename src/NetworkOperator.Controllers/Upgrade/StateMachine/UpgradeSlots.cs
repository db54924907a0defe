using k8s.Models;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// How many nodes may start upgrading in this pass: <c>maxParallelUpgrades</c> minus the nodes in progress (failed
/// nodes count as in progress, so a failing upgrade does not spread), capped so that cordoned or NotReady managed
/// nodes plus new ones stay within <c>maxUnavailable</c>.
/// </summary>
public static class UpgradeSlots
{
    public static int Available(IReadOnlyCollection<ManagedNode> nodes, UpgradePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(policy);
        var total = nodes.Count;
        var required = nodes.Count(n => n.State == UpgradeStates.UpgradeRequired);
        var idle = nodes.Count(n => n.State is UpgradeStates.Unknown or UpgradeStates.UpgradeDone or UpgradeStates.UpgradeRequired);
        var inProgress = total - idle;
        var available = policy.MaxParallelUpgrades == 0 ? required : policy.MaxParallelUpgrades - inProgress;

        var maxUnavailable = MaxUnavailable(policy.MaxUnavailable, total);
        var unavailable = CurrentlyUnavailable(nodes);
        if (unavailable >= maxUnavailable)
        {
            return 0;
        }

        if (maxUnavailable < total && unavailable + available > maxUnavailable)
        {
            available = maxUnavailable - unavailable;
        }

        return Math.Max(0, available);
    }

    /// <summary>
    /// Managed nodes already out of service: cordoned, not Ready, or about to be cordoned (<c>cordon-required</c>).
    /// </summary>
    public static int CurrentlyUnavailable(IEnumerable<ManagedNode> nodes) =>
        nodes.Count(n => n.Unschedulable || !n.IsReadyCondition || n.State == UpgradeStates.CordonRequired);

    /// <summary>
    /// Scales a number or percentage of <paramref name="total"/>; percentages round up (as the upgrade library asks of
    /// Kubernetes' <c>GetScaledValueFromIntOrPercent</c>), so any non-zero percentage allows at least one node.
    /// Null means every managed node.
    /// </summary>
    public static int MaxUnavailable(IntOrString? value, int total)
    {
        if (value?.Value is not { } text)
        {
            return total;
        }

        text = text.Trim();
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent))
            {
                throw new FormatException($"maxUnavailable \"{text}\" is not a whole percentage such as \"25%\".");
            }

            return (int)Math.Ceiling(total * percent / 100.0);
        }

        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? Math.Max(0, number)
            : throw new FormatException($"maxUnavailable \"{text}\" is neither a number nor a percentage.");
    }
}
