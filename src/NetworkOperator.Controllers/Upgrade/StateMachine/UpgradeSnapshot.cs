using k8s.Models;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Everything one decision pass looks at. All durable state is in the objects (node labels and annotations); the
/// in-memory parts (<see cref="DrainsInFlight"/>, <see cref="DrainOutcomes"/>) only describe drains this process runs,
/// so an empty value after a restart is correct: a drain that was cut short is simply started again.
/// </summary>
public sealed record UpgradeSnapshot
{
    public required PolicyIdentity Policy { get; init; }

    public required UpgradePolicy UpgradePolicy { get; init; }

    /// <summary>Nodes to consider; only those running one of <see cref="DriverPods"/> are managed.</summary>
    public IReadOnlyList<V1Node> Nodes { get; init; } = [];

    /// <summary>The policy's driver DaemonSets (labels <c>nvidia.com/ofed-driver</c> and <c>ds-owner</c>).</summary>
    public IReadOnlyList<V1DaemonSet> DaemonSets { get; init; } = [];

    /// <summary>The policy's driver pods, including orphans (no owner references) left by a legacy DaemonSet.</summary>
    public IReadOnlyList<V1Pod> DriverPods { get; init; } = [];

    /// <summary>ControllerRevisions of the driver DaemonSets (the newest one gives the hash pods must carry).</summary>
    public IReadOnlyList<V1ControllerRevision> ControllerRevisions { get; init; } = [];

    /// <summary>Pods matching <c>waitForCompletion.podSelector</c> (any namespace); only needed when it is set.</summary>
    public IReadOnlyList<V1Pod> WaitForCompletionPods { get; init; } = [];

    public DateTimeOffset Now { get; init; }

    /// <summary>Nodes whose drain is running in this process, with what currently blocks it (null when nothing).</summary>
    public IReadOnlyDictionary<string, string?> DrainsInFlight { get; init; } = new Dictionary<string, string?>();

    /// <summary>Drains that finished since their node's state was last changed.</summary>
    public IReadOnlyDictionary<string, DrainOutcome> DrainOutcomes { get; init; } = new Dictionary<string, DrainOutcome>();

    /// <summary>Maintenance-operator mode (docs/driver-upgrade.md) when set; null = the in-place flow.</summary>
    public MaintenanceOptions? Maintenance { get; init; }

    /// <summary>NodeMaintenance objects in <see cref="MaintenanceOptions.Namespace"/> (requestor mode only).</summary>
    public IReadOnlyList<NodeMaintenanceInfo> NodeMaintenances { get; init; } = [];

    /// <summary>Why NodeMaintenance objects cannot be used (e.g. their CRD is not installed); stalls requestor mode.</summary>
    public string? MaintenanceUnavailable { get; init; }

    /// <summary>Reasons of failures seen earlier by this process, for status; the label alone does not carry one.</summary>
    public IReadOnlyDictionary<string, string> KnownFailureReasons { get; init; } = new Dictionary<string, string>();
}
