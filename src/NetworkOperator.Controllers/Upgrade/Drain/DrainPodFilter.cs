using k8s.Models;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// kubectl drain's pod filters: which pods on the node are evicted, which are left alone (daemon and mirror pods),
/// and which stop the drain before anything is evicted (emptyDir without deleteEmptyDir, unmanaged pods without force).
/// Finished pods (Succeeded/Failed) are always removable.
/// </summary>
public static class DrainPodFilter
{
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    public static DrainPodDecision Classify(V1Pod pod, DrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        if (pod.Metadata.Annotations?.ContainsKey(MirrorPodAnnotation) == true)
        {
            return DrainPodDecision.Skip("mirror pod");
        }

        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (controller?.Kind == "DaemonSet" && options.IgnoreDaemonSets)
        {
            return DrainPodDecision.Skip("DaemonSet-managed pod");
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return DrainPodDecision.Evict;
        }

        var name = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        if (pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true && !options.DeleteEmptyDir)
        {
            return DrainPodDecision.Refuse($"pod {name} uses emptyDir volumes (set drain.deleteEmptyDir to evict it; its local data is lost)");
        }

        if (controller is null && !options.Force)
        {
            return DrainPodDecision.Refuse($"pod {name} is not managed by a controller (set drain.force to evict it; it will not be recreated)");
        }

        return DrainPodDecision.Evict;
    }
}

/// <summary>What a drain does with one pod; <see cref="Reason"/> explains skips and refusals.</summary>
public sealed record DrainPodDecision(DrainPodAction Action, string? Reason)
{
    public static DrainPodDecision Evict { get; } = new(DrainPodAction.Evict, null);

    public static DrainPodDecision Skip(string reason) => new(DrainPodAction.Skip, reason);

    public static DrainPodDecision Refuse(string reason) => new(DrainPodAction.Refuse, reason);
}

public enum DrainPodAction
{
    Evict,
    Skip,
    Refuse,
}
