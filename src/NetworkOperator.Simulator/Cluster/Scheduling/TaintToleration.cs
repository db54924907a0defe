using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>Taint/toleration matching with the semantics of the core helpers the scheduler and kubelet share.</summary>
public static class TaintToleration
{
    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";
    public const string PreferNoSchedule = "PreferNoSchedule";

    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        // An empty effect tolerates every effect.
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        // An empty key with Exists tolerates every taint.
        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }

    public static bool IsTolerated(V1Taint taint, IEnumerable<V1Toleration>? tolerations) =>
        tolerations is not null && tolerations.Any(t => Tolerates(t, taint));

    /// <summary>
    /// The first taint with one of the given effects that no toleration matches (PreferNoSchedule never blocks, as in
    /// the scheduler's filter), or null.
    /// </summary>
    public static V1Taint? FirstUntolerated(IEnumerable<V1Taint>? taints, IEnumerable<V1Toleration>? tolerations, params string[] effects)
    {
        if (taints is null)
        {
            return null;
        }

        var list = tolerations as IReadOnlyCollection<V1Toleration> ?? tolerations?.ToList();
        foreach (var taint in taints)
        {
            if (Array.IndexOf(effects, taint.Effect) < 0)
            {
                continue;
            }

            if (!IsTolerated(taint, list))
            {
                return taint;
            }
        }

        return null;
    }

    /// <summary>The scheduler's wording for an untolerated taint, e.g. <c>{node-role.kubernetes.io/control-plane: }</c>.</summary>
    public static string Describe(V1Taint taint) => $"{{{taint.Key}: {taint.Value}}}";
}
