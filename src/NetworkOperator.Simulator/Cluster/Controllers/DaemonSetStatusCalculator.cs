using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The DaemonSet status counters the way the controller derives them: desired counts nodes that should run a daemon,
/// current/ready/available/updated look at the oldest daemon pod of each such node, misscheduled counts nodes that have
/// a daemon pod but should not.
/// </summary>
public static class DaemonSetStatusCalculator
{
    public static V1DaemonSetStatus Compute(V1DaemonSet daemonSet, string hash, IReadOnlyDictionary<string, DaemonPlacement> placements,
        IReadOnlyDictionary<string, List<V1Pod>> podsByNode, DateTime now)
    {
        int current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        var minReady = daemonSet.Spec.MinReadySeconds ?? 0;
        var runNodes = DaemonSetPlanner.RunNodes(placements);
        var desired = runNodes.Length;
        foreach (var node in runNodes)
        {
            var pods = podsByNode.GetValueOrDefault(node);
            if (pods is not { Count: > 0 })
            {
                continue;
            }

            current++;
            var pod = pods[0];
            if (PodState.IsReady(pod))
            {
                ready++;
                if (PodState.IsAvailable(pod, minReady, now))
                {
                    available++;
                }
            }

            if (DaemonSetPlanner.IsUpdated(daemonSet, hash, pod))
            {
                updated++;
            }
        }

        // Nodes that have a daemon pod but should not run one (a node that is gone counts nowhere).
        foreach (var (node, pods) in podsByNode)
        {
            if (pods.Count > 0 && placements.TryGetValue(node, out var placement) && !placement.ShouldRun)
            {
                misscheduled++;
            }
        }

        return new V1DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            NumberAvailable = available == 0 ? null : available,
            NumberUnavailable = desired - available == 0 ? null : desired - available,
            UpdatedNumberScheduled = updated == 0 ? null : updated,
            ObservedGeneration = daemonSet.Metadata.Generation,
            CollisionCount = daemonSet.Status?.CollisionCount,
            Conditions = daemonSet.Status?.Conditions,
        };
    }
}
