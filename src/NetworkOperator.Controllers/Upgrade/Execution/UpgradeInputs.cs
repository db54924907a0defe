using k8s;
using k8s.Models;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>What the controller read from the cluster for one policy's pass.</summary>
public sealed record UpgradeInputs
{
    public required PolicyIdentity Identity { get; init; }

    public required UpgradePolicy Policy { get; init; }

    /// <summary>The policy object, for Events about it; null when it is gone.</summary>
    public IKubernetesObject<V1ObjectMeta>? PolicyObject { get; init; }

    public IReadOnlyList<V1Node> Nodes { get; init; } = [];

    public IReadOnlyList<V1DaemonSet> DaemonSets { get; init; } = [];

    public IReadOnlyList<V1Pod> DriverPods { get; init; } = [];

    public IReadOnlyList<V1ControllerRevision> ControllerRevisions { get; init; } = [];

    public IReadOnlyList<V1Pod> WaitForCompletionPods { get; init; } = [];

    /// <summary>This policy's requestor-mode options (its own requestor ID); null = in-place.</summary>
    public MaintenanceOptions? Maintenance { get; init; }

    public IReadOnlyList<NodeMaintenanceInfo> NodeMaintenances { get; init; } = [];

    public string? MaintenanceUnavailable { get; init; }
}
