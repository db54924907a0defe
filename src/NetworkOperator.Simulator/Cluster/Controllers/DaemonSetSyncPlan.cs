using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>What one DaemonSet sync must do: create a pod on these nodes, delete these pods.</summary>
public sealed class DaemonSetSyncPlan
{
    public List<string> NodesNeedingPods { get; } = [];

    public List<V1Pod> PodsToDelete { get; } = [];

    public bool IsEmpty => NodesNeedingPods.Count == 0 && PodsToDelete.Count == 0;
}
