using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>
/// The default scheduler's filters in their order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
/// NodeResourcesFit, InterPodAffinity). Like the real framework, evaluation of a node stops at the first failing filter,
/// so each node contributes the reasons of one filter to the FailedScheduling message.
/// </summary>
public static class SchedulingPredicates
{
    public const string UnschedulableTaintKey = "node.kubernetes.io/unschedulable";
    public const string HostnameTopologyKey = "kubernetes.io/hostname";

    public const string ReasonUnschedulable = "node(s) were unschedulable";
    public const string ReasonNodeName = "node(s) didn't match the requested node name";
    public const string ReasonAffinity = "node(s) didn't match Pod's node affinity/selector";
    public const string ReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules";
    public const string ReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";

    /// <summary>Why the pod cannot go to the node; empty when it fits.</summary>
    public static IReadOnlyList<string> Filter(V1Pod pod, SchedulingNode node) => Filter(pod, PodResources.Requests(pod.Spec), node);

    /// <summary>As <see cref="Filter(V1Pod, SchedulingNode)"/> with the pod's requests summed once for every node tried.</summary>
    public static IReadOnlyList<string> Filter(V1Pod pod, IReadOnlyDictionary<string, decimal> requests, SchedulingNode node)
    {
        var spec = pod.Spec;
        var nodeSpec = node.Node.Spec;
        if (nodeSpec?.Unschedulable == true &&
            !TaintToleration.IsTolerated(new V1Taint { Key = UnschedulableTaintKey, Effect = TaintToleration.NoSchedule }, spec.Tolerations))
        {
            return [ReasonUnschedulable];
        }

        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != node.Name)
        {
            return [ReasonNodeName];
        }

        if (TaintToleration.FirstUntolerated(nodeSpec?.Taints, spec.Tolerations, TaintToleration.NoSchedule, TaintToleration.NoExecute) is { } taint)
        {
            return ["node(s) had untolerated taint " + TaintToleration.Describe(taint)];
        }

        if (!NodeSelectorMatcher.MatchesPod(node.Node, spec))
        {
            return [ReasonAffinity];
        }

        var insufficient = ResourceFit.Insufficient(requests, node.Allocatable, node.Usage);
        if (insufficient.Count > 0)
        {
            return insufficient;
        }

        if (ViolatesOwnAntiAffinity(pod, node))
        {
            return [ReasonAntiAffinity];
        }

        if (ViolatesExistingAntiAffinity(pod, node))
        {
            return [ReasonExistingAntiAffinity];
        }

        return [];
    }

    private static bool ViolatesOwnAntiAffinity(V1Pod pod, SchedulingNode node)
    {
        var terms = pod.Spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (terms is null || terms.Count == 0)
        {
            return false;
        }

        foreach (var term in terms)
        {
            // Only hostname topology is simulated: every node is its own domain.
            if (term.TopologyKey != HostnameTopologyKey)
            {
                continue;
            }

            foreach (var other in node.Pods)
            {
                if (SameObject(pod, other))
                {
                    continue;
                }

                if (TermMatches(term, pod, other))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ViolatesExistingAntiAffinity(V1Pod pod, SchedulingNode node)
    {
        // Asked for every node an unpinned pod is tried on: no enumerator for the usual node without such pods.
        if (!node.HasPodsWithAntiAffinity)
        {
            return false;
        }

        foreach (var other in node.PodsWithAntiAffinity)
        {
            var terms = other.Spec?.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
            if (terms is null || SameObject(pod, other))
            {
                continue;
            }

            foreach (var term in terms)
            {
                if (term.TopologyKey == HostnameTopologyKey && TermMatches(term, other, pod))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The term of <paramref name="owner"/> selects <paramref name="candidate"/> (namespaces default to the owner's).</summary>
    private static bool TermMatches(V1PodAffinityTerm term, V1Pod owner, V1Pod candidate)
    {
        var namespaces = term.Namespaces is { Count: > 0 } ns ? ns : [owner.Metadata.NamespaceProperty];
        if (term.NamespaceSelector is null && !namespaces.Contains(candidate.Metadata.NamespaceProperty))
        {
            return false;
        }

        return LabelSelectorMatcher.Matches(term.LabelSelector, candidate.Metadata.Labels);
    }

    private static bool SameObject(V1Pod a, V1Pod b) =>
        a.Metadata.NamespaceProperty == b.Metadata.NamespaceProperty && a.Metadata.Name == b.Metadata.Name;

    /// <summary>
    /// The FailedScheduling message the default scheduler writes, e.g.
    /// <c>0/3 nodes are available: 1 Insufficient rdma/a, 2 node(s) didn't match Pod's node affinity/selector. preemption: ...</c>.
    /// </summary>
    public static string FailureMessage(int totalNodes, IEnumerable<IReadOnlyList<string>> perNodeReasons)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var reasons in perNodeReasons)
        {
            foreach (var reason in reasons)
            {
                counts[reason] = counts.GetValueOrDefault(reason) + 1;
            }
        }

        var summary = string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}"));
        var head = $"0/{totalNodes} nodes are available";
        return totalNodes == 0
            ? "no nodes available to schedule pods"
            : $"{head}: {summary}. preemption: {head}: {totalNodes} Preemption is not helpful for scheduling.";
    }
}
