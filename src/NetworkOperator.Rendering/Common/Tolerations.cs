using k8s.Models;

namespace NetworkOperator.Rendering.Common;

/// <summary>Kubernetes toleration semantics, needed to predict which nodes a DaemonSet can land on.</summary>
public static class Tolerations
{
    public const string GpuTaintKey = "nvidia.com/gpu";

    /// <summary>The toleration almost every node-side DaemonSet adds after the policy's tolerations.</summary>
    public static V1Toleration Gpu => new() { Key = GpuTaintKey, OperatorProperty = "Exists", Effect = "NoSchedule" };

    /// <summary>What the DaemonSet controller adds to every DaemonSet pod, plus the GPU toleration the templates add.</summary>
    public static IReadOnlyList<V1Toleration> DaemonSetAutomatic { get; } =
    [
        new() { Key = GpuTaintKey, OperatorProperty = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute" },
        new() { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute" },
        new() { Key = "node.kubernetes.io/disk-pressure", OperatorProperty = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/memory-pressure", OperatorProperty = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/pid-pressure", OperatorProperty = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" },
        new() { Key = "node.kubernetes.io/network-unavailable", OperatorProperty = "Exists", Effect = "NoSchedule" },
    ];

    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(toleration);
        ArgumentNullException.ThrowIfNull(taint);
        if (!string.IsNullOrEmpty(toleration.Effect) && !string.Equals(toleration.Effect, taint.Effect, StringComparison.Ordinal))
        {
            return false;
        }

        var exists = string.Equals(toleration.OperatorProperty, "Exists", StringComparison.Ordinal);
        if (string.IsNullOrEmpty(toleration.Key))
        {
            // An empty key with Exists tolerates everything; an empty key with Equal is invalid and matches nothing.
            return exists;
        }

        if (!string.Equals(toleration.Key, taint.Key, StringComparison.Ordinal))
        {
            return false;
        }

        return exists || string.Equals(toleration.Value ?? string.Empty, taint.Value ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>True when every taint of the node is tolerated by at least one toleration.</summary>
    public static bool ToleratesAll(IEnumerable<V1Toleration> tolerations, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(tolerations);
        ArgumentNullException.ThrowIfNull(node);
        var list = tolerations as IReadOnlyCollection<V1Toleration> ?? tolerations.ToList();
        return (node.Spec?.Taints ?? []).All(taint => list.Any(t => Tolerates(t, taint)));
    }

    /// <summary>Policy tolerations followed by the GPU toleration, the order every node DaemonSet uses.</summary>
    public static List<V1Toleration> WithGpu(IEnumerable<V1Toleration>? policyTolerations) =>
        [.. (policyTolerations ?? []).Select(Clone), Gpu];

    public static V1Toleration Clone(V1Toleration t) => new()
    {
        Key = t.Key,
        OperatorProperty = t.OperatorProperty,
        Value = t.Value,
        Effect = t.Effect,
        TolerationSeconds = t.TolerationSeconds,
    };
}
