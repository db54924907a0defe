using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Questions the state machine asks about a driver pod and its DaemonSet.</summary>
public static class DriverPods
{
    /// <summary>Restarts beyond this on a container that is not ready mark the node's upgrade failed (upstream's value).</summary>
    public const int MaxRestarts = 10;

    public static bool IsOrphaned(V1Pod pod) => pod.Metadata.OwnerReferences is null || pod.Metadata.OwnerReferences.Count == 0;

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    public static bool IsOwnedBy(V1Pod pod, V1DaemonSet daemonSet) =>
        pod.Metadata.OwnerReferences?.Any(r => r.Kind == "DaemonSet"
            && (string.IsNullOrEmpty(daemonSet.Metadata.Uid) ? r.Name == daemonSet.Metadata.Name : r.Uid == daemonSet.Metadata.Uid)) == true;

    /// <summary>Running, and every container reports ready.</summary>
    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running"
        && pod.Status.ContainerStatuses is { Count: > 0 } statuses
        && statuses.All(s => s.Ready);

    /// <summary>Why the pod counts as failing (a container not ready after too many restarts), or null.</summary>
    public static string? FailingReason(V1Pod pod)
    {
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        var failing = statuses.FirstOrDefault(s => !s.Ready && s.RestartCount > MaxRestarts);
        return failing is null
            ? null
            : $"driver container {failing.Name} of pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} is not ready after {failing.RestartCount} restarts";
    }

    /// <summary>
    /// The hash of the DaemonSet's newest ControllerRevision: the highest <c>revision</c> among revisions named
    /// <c>&lt;ds&gt;-&lt;hash&gt;</c> whose labels match the DaemonSet selector. Null when there is none yet.
    /// </summary>
    public static string? NewestRevisionHash(V1DaemonSet daemonSet, IEnumerable<V1ControllerRevision> revisions)
    {
        var prefix = daemonSet.Metadata.Name + "-";
        V1ControllerRevision? newest = null;
        foreach (var revision in revisions)
        {
            if (revision.Metadata.NamespaceProperty != daemonSet.Metadata.NamespaceProperty
                || !revision.Metadata.Name.StartsWith(prefix, StringComparison.Ordinal)
                || !LabelSelectors.Matches(daemonSet.Spec?.Selector, revision.Metadata.Labels))
            {
                continue;
            }

            if (newest is null || revision.Revision > newest.Revision)
            {
                newest = revision;
            }
        }

        return newest?.Metadata.Name[prefix.Length..];
    }

    public static string? RevisionHashOf(V1Pod pod) =>
        pod.Metadata.Labels is { } labels && labels.TryGetValue(Labels.ControllerRevisionHash, out var hash) ? hash : null;
}
