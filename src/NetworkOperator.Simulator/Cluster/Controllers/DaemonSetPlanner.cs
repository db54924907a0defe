using k8s.Models;
using NetworkOperator.Simulator.Cluster.Scheduling;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The DaemonSet controller's decisions as a pure function of the DaemonSet, the nodes' placements and the daemon pods
/// by node. "Manage" comes first (missing pods, failed pods, duplicates, pods on nodes that should not run them); only
/// when it has nothing to do does the update strategy act, as the real controller waits for its expectations before
/// rolling. RollingUpdate here is the maxSurge=0 variant: unavailable old pods are replaced at once, available ones only
/// while fewer than maxUnavailable nodes are unavailable. OnDelete never deletes an old pod. A placements dictionary is
/// treated as frozen once passed in (its sorted node names are kept with it), as the controller's memo hands them out.
/// </summary>
public static class DaemonSetPlanner
{
    public static DaemonSetSyncPlan Plan(V1DaemonSet daemonSet, string currentHash, IReadOnlyDictionary<string, DaemonPlacement> placements,
        IReadOnlyDictionary<string, List<V1Pod>> podsByNode, DateTime now)
    {
        var plan = Manage(placements, podsByNode);
        if (plan.IsEmpty && daemonSet.Spec.UpdateStrategy?.Type is null or "RollingUpdate")
        {
            RollingUpdate(daemonSet, currentHash, placements, podsByNode, now, plan);
        }

        return plan;
    }

    public static DaemonSetSyncPlan Manage(IReadOnlyDictionary<string, DaemonPlacement> placements, IReadOnlyDictionary<string, List<V1Pod>> podsByNode)
    {
        // Only nodes that should run a pod or have one can need anything: a pool on a tenth of a 1,000-node cluster
        // looks at its hundred nodes and its pods, not at every node.
        var plan = new DaemonSetSyncPlan();
        foreach (var node in RunNodes(placements))
        {
            ManageNode(node, placements[node], podsByNode.GetValueOrDefault(node), plan);
        }

        foreach (var (node, pods) in podsByNode)
        {
            if (placements.TryGetValue(node, out var placement) && !placement.ShouldRun)
            {
                ManageNode(node, placement, pods, plan);
            }
        }

        // Pods for nodes that no longer exist: bound ones are the pod garbage collector's; one the scheduler never bound
        // (pinned to the node by affinity) nothing else would remove, so the controller deletes it.
        foreach (var (node, pods) in podsByNode)
        {
            if (!placements.ContainsKey(node))
            {
                plan.PodsToDelete.AddRange(pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && !PodState.IsTerminating(p)));
            }
        }

        return plan;
    }

    private static void ManageNode(string node, DaemonPlacement placement, List<V1Pod>? pods, DaemonSetSyncPlan plan)
    {
        var exists = pods is { Count: > 0 };
        if (placement.ShouldRun && !exists)
        {
            plan.NodesNeedingPods.Add(node);
        }
        else if (placement.ShouldContinueRunning && exists)
        {
            var running = 0;
            foreach (var pod in pods!)
            {
                if (PodState.IsTerminating(pod))
                {
                    continue;
                }

                if (PodState.IsFinished(pod))
                {
                    plan.PodsToDelete.Add(pod);
                }
                else
                {
                    running++;
                }
            }

            // Without surge a node keeps only its oldest running daemon pod (the list is made only then: most nodes
            // have one pod, and every sync looks at every node).
            if (running > 1)
            {
                var oldestFirst = pods.Where(PodState.IsActive).ToList();
                oldestFirst.Sort(ByCreationOrder);
                plan.PodsToDelete.AddRange(oldestFirst.Skip(1));
            }
        }
        else if (!placement.ShouldContinueRunning && exists)
        {
            plan.PodsToDelete.AddRange(pods!.Where(p => !PodState.IsTerminating(p)));
        }
    }

    /// <summary>The nodes that should run a daemon pod, in the placements' order; kept with the (frozen) placements.</summary>
    internal static string[] RunNodes(IReadOnlyDictionary<string, DaemonPlacement> placements) => Derived(placements).Run;

    // What syncs derive from one placements dictionary, kept with it: the controller hands the same placements to every
    // sync while no placement changed.
    private sealed class PlacementFacts(IReadOnlyDictionary<string, DaemonPlacement> placements)
    {
        public string[] Run { get; } = [.. placements.Where(e => e.Value.ShouldRun).Select(e => e.Key)];

        public string[] Sorted => field ??= [.. placements.Keys.Order(StringComparer.Ordinal)];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyDictionary<string, DaemonPlacement>, PlacementFacts> Facts = [];

    private static PlacementFacts Derived(IReadOnlyDictionary<string, DaemonPlacement> placements) =>
        Facts.GetValue(placements, p => new PlacementFacts(p));

    public static int MaxUnavailable(V1DaemonSet daemonSet, int desired)
    {
        var value = daemonSet.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable;
        var max = IntOrPercent.Scaled(value, desired, roundUp: true, defaultValue: 1);
        var surge = IntOrPercent.Scaled(daemonSet.Spec.UpdateStrategy?.RollingUpdate?.MaxSurge, desired, roundUp: true, defaultValue: 0);
        return max == 0 && surge == 0 ? 1 : max;
    }

    private static void RollingUpdate(V1DaemonSet daemonSet, string hash, IReadOnlyDictionary<string, DaemonPlacement> placements,
        IReadOnlyDictionary<string, List<V1Pod>> podsByNode, DateTime now, DaemonSetSyncPlan plan)
    {
        var desired = RunNodes(placements).Length;
        var maxUnavailable = MaxUnavailable(daemonSet, desired);
        var minReady = daemonSet.Spec.MinReadySeconds ?? 0;
        var unavailable = 0;
        var replaceNow = new List<V1Pod>();
        var candidates = new List<V1Pod>();
        foreach (var node in NodesToConsider(placements, podsByNode))
        {
            var (newPod, oldPod, ok) = FindUpdatedPods(daemonSet, hash, podsByNode.GetValueOrDefault(node));
            if (!ok)
            {
                unavailable++;
                continue;
            }

            if ((oldPod is null && newPod is null) || (oldPod is not null && newPod is not null))
            {
                unavailable++;
            }
            else if (newPod is not null)
            {
                if (!PodState.IsAvailable(newPod, minReady, now))
                {
                    unavailable++;
                }
            }
            else if (!PodState.IsAvailable(oldPod!, minReady, now))
            {
                replaceNow.Add(oldPod!);
            }
            else if (unavailable < maxUnavailable)
            {
                candidates.Add(oldPod!);
            }
        }

        var budget = Math.Clamp(maxUnavailable - unavailable, 0, candidates.Count);
        plan.PodsToDelete.AddRange(replaceNow);
        plan.PodsToDelete.AddRange(candidates.Take(budget));
    }

    // Nodes in a stable order so that which old pods go first is deterministic (the real controller uses map order).
    private static IEnumerable<string> NodesToConsider(IReadOnlyDictionary<string, DaemonPlacement> placements, IReadOnlyDictionary<string, List<V1Pod>> podsByNode)
    {
        foreach (var node in Derived(placements).Sorted)
        {
            if (placements[node].ShouldRun || podsByNode.ContainsKey(node))
            {
                yield return node;
            }
        }
    }

    private static (V1Pod? New, V1Pod? Old, bool Ok) FindUpdatedPods(V1DaemonSet daemonSet, string hash, List<V1Pod>? pods)
    {
        V1Pod? newPod = null;
        V1Pod? oldPod = null;
        foreach (var pod in pods ?? [])
        {
            if (PodState.IsTerminating(pod))
            {
                continue;
            }

            if (IsUpdated(daemonSet, hash, pod))
            {
                if (newPod is not null)
                {
                    return (null, null, false);
                }

                newPod = pod;
            }
            else
            {
                if (oldPod is not null)
                {
                    return (null, null, false);
                }

                oldPod = pod;
            }
        }

        return (newPod, oldPod, true);
    }

    /// <summary>The pod runs the current template: its hash label matches, or it has none and its template generation does.</summary>
    public static bool IsUpdated(V1DaemonSet daemonSet, string hash, V1Pod pod)
    {
        var labels = pod.Metadata.Labels;
        if (labels?.TryGetValue(ControllerRevisions.HashLabel, out var podHash) == true)
        {
            return podHash == hash;
        }

        return labels?.TryGetValue(DaemonPodFactory.TemplateGenerationLabel, out var generation) == true &&
               generation == (daemonSet.Metadata.Generation ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly Comparison<V1Pod> ByCreationOrder = ByCreation;

    internal static int ByCreation(V1Pod a, V1Pod b)
    {
        var c = Nullable.Compare(a.Metadata.CreationTimestamp, b.Metadata.CreationTimestamp);
        return c != 0 ? c : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);
    }

    /// <summary>Which node each of the DaemonSet's pods is for (bound or pinned), oldest first.</summary>
    public static Dictionary<string, List<V1Pod>> GroupByNode(IEnumerable<V1Pod> pods)
    {
        var result = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var node = DaemonPodFactory.TargetNode(pod);
            if (node is null)
            {
                continue;
            }

            if (!result.TryGetValue(node, out var list))
            {
                result[node] = list = [];
            }

            list.Add(pod);
        }

        foreach (var list in result.Values)
        {
            if (list.Count > 1)
            {
                list.Sort(ByCreationOrder);
            }
        }

        return result;
    }

    internal static bool IsPinned(V1Pod pod) => NodeSelectorMatcher.PinnedNodeName(pod.Spec) is not null;
}
