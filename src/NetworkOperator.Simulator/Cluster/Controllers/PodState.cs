using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>Pod readiness and availability as the workload controllers judge them.</summary>
public static class PodState
{
    // A loop, not FirstOrDefault with a capturing lambda: controllers call this for every pod of every sync.
    public static V1PodCondition? Condition(V1Pod pod, string type)
    {
        if (pod.Status?.Conditions is { } conditions)
        {
            foreach (var condition in conditions)
            {
                if (condition.Type == type)
                {
                    return condition;
                }
            }
        }

        return null;
    }

    public static bool IsReady(V1Pod pod) => Condition(pod, "Ready")?.Status == "True";

    /// <summary>Ready for at least minReadySeconds (measured from the Ready condition's last transition).</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTime now)
    {
        var ready = Condition(pod, "Ready");
        if (ready?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds <= 0)
        {
            return true;
        }

        return ready.LastTransitionTime is { } since && since.AddSeconds(minReadySeconds) <= now;
    }

    public static bool IsTerminating(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    public static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static bool IsActive(V1Pod pod) => !IsTerminating(pod) && !IsFinished(pod);

    public static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
