using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>The tolerations the DaemonSet controller adds to every daemon pod, so node problems and cordons do not
/// evict or block daemons (a cordoned node still runs its DaemonSet pods).</summary>
public static class DaemonSetTolerations
{
    public static IReadOnlyList<V1Toleration> Automatic(bool hostNetwork)
    {
        var list = new List<V1Toleration>
        {
            new() { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute" },
            new() { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute" },
            new() { Key = "node.kubernetes.io/disk-pressure", OperatorProperty = "Exists", Effect = "NoSchedule" },
            new() { Key = "node.kubernetes.io/memory-pressure", OperatorProperty = "Exists", Effect = "NoSchedule" },
            new() { Key = "node.kubernetes.io/pid-pressure", OperatorProperty = "Exists", Effect = "NoSchedule" },
            new() { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" },
        };
        if (hostNetwork)
        {
            list.Add(new() { Key = "node.kubernetes.io/network-unavailable", OperatorProperty = "Exists", Effect = "NoSchedule" });
        }

        return list;
    }

    /// <summary>The template's tolerations plus the automatic ones it does not already have (same key and effect).</summary>
    public static List<V1Toleration> WithAutomatic(V1PodSpec spec)
    {
        var result = new List<V1Toleration>(spec.Tolerations ?? []);
        foreach (var extra in Automatic(spec.HostNetwork == true))
        {
            if (!result.Any(t => t.Key == extra.Key && t.Effect == extra.Effect))
            {
                result.Add(extra);
            }
        }

        return result;
    }
}
