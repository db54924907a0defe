namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Values of the <c>nvidia.com/ofed-driver-upgrade-state</c> node label; byte-identical to the upgrade library upstream
/// uses, so nodes labelled by the upstream operator resume here and the other way round.
/// </summary>
public static class UpgradeStates
{
    /// <summary>No label (or an empty one): the node has not been looked at yet.</summary>
    public const string Unknown = "";

    public const string UpgradeRequired = "upgrade-required";
    public const string CordonRequired = "cordon-required";
    public const string WaitForJobsRequired = "wait-for-jobs-required";
    public const string PodDeletionRequired = "pod-deletion-required";
    public const string DrainRequired = "drain-required";
    public const string NodeMaintenanceRequired = "node-maintenance-required";
    public const string PodRestartRequired = "pod-restart-required";
    public const string ValidationRequired = "validation-required";
    public const string UncordonRequired = "uncordon-required";
    public const string UpgradeDone = "upgrade-done";
    public const string UpgradeFailed = "upgrade-failed";

    /// <summary>Every known value in the order a node normally passes through them (failed last).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Unknown, UpgradeRequired, CordonRequired, WaitForJobsRequired, PodDeletionRequired, DrainRequired,
        NodeMaintenanceRequired, PodRestartRequired, ValidationRequired, UncordonRequired, UpgradeDone, UpgradeFailed,
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string? state) => state is not null && Known.Contains(state);

    /// <summary>States in which the operator holds the node cordoned (after its cordon step, before its uncordon step).</summary>
    public static bool IsCordonedByUpgrade(string state) => state is WaitForJobsRequired or PodDeletionRequired or DrainRequired
        or PodRestartRequired or ValidationRequired or UncordonRequired or UpgradeFailed;

    /// <summary>PascalCase of a state, used as the Kubernetes Event reason of a transition into it.</summary>
    public static string EventReason(string state) => state.Length == 0
        ? "UpgradeStateUnknown"
        : string.Concat(state.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
