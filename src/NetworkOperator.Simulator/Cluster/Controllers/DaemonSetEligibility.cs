using k8s.Models;
using NetworkOperator.Simulator.Cluster.Scheduling;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>Whether a DaemonSet wants a pod on a node, and whether an existing one may stay.</summary>
public readonly record struct DaemonPlacement(bool ShouldRun, bool ShouldContinueRunning);

/// <summary>
/// The DaemonSet controller's node predicate: node name, nodeSelector and required node affinity, then taints against
/// the template's tolerations plus the automatic ones. Resources are not considered (the kubelet admits daemon pods)
/// and cordons are tolerated automatically. A NoSchedule taint stops new pods but keeps running ones; an untolerated
/// NoExecute taint removes them.
/// </summary>
public static class DaemonSetEligibility
{
    public static DaemonPlacement Evaluate(V1Node node, V1DaemonSet daemonSet) =>
        Evaluate(node, daemonSet.Spec.Template.Spec, DaemonSetTolerations.WithAutomatic(daemonSet.Spec.Template.Spec));

    /// <summary>Same as <see cref="Evaluate(V1Node, V1DaemonSet)"/> with the tolerations computed once per DaemonSet.</summary>
    public static DaemonPlacement Evaluate(V1Node node, V1PodSpec template, IReadOnlyList<V1Toleration> tolerations)
    {
        if (!string.IsNullOrEmpty(template.NodeName) && template.NodeName != node.Metadata.Name)
        {
            return new(false, false);
        }

        if (!NodeSelectorMatcher.MatchesPod(node, template))
        {
            return new(false, false);
        }

        var taints = node.Spec?.Taints;
        if (TaintToleration.FirstUntolerated(taints, tolerations, TaintToleration.NoSchedule, TaintToleration.NoExecute) is null)
        {
            return new(true, true);
        }

        return new(false, TaintToleration.FirstUntolerated(taints, tolerations, TaintToleration.NoExecute) is null);
    }
}
