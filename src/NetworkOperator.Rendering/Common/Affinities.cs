using k8s.Models;

namespace NetworkOperator.Rendering.Common;

/// <summary>Affinity blocks shared by several states.</summary>
public static class Affinities
{
    /// <summary>The policy's <c>nodeAffinity</c> as a DaemonSet affinity, or null when unset.</summary>
    public static V1Affinity? FromNodeAffinity(V1NodeAffinity? nodeAffinity) =>
        nodeAffinity is null ? null : new V1Affinity { NodeAffinity = nodeAffinity };

    /// <summary>
    /// Deployment affinity: a weak preference for control-plane nodes, followed by the policy's
    /// <c>deploymentNodeAffinity</c> preferred terms; its required term is used as is.
    /// </summary>
    public static V1NodeAffinity ControlPlanePreferred(V1NodeAffinity? deploymentNodeAffinity)
    {
        var preferred = new List<V1PreferredSchedulingTerm>
        {
            Prefer("node-role.kubernetes.io/master"),
            Prefer("node-role.kubernetes.io/control-plane"),
        };
        preferred.AddRange(deploymentNodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []);
        return new V1NodeAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution = preferred,
            RequiredDuringSchedulingIgnoredDuringExecution = deploymentNodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution,
        };

        static V1PreferredSchedulingTerm Prefer(string key) => new()
        {
            Weight = 1,
            // As upstream: the role label with the empty value kubeadm sets (In [""]), not any value.
            Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = "In", Values = [string.Empty] }] },
        };
    }

    /// <summary>Tolerations of control-plane Deployments: master, control-plane, GPU, then the policy's deployment tolerations.</summary>
    public static List<V1Toleration> ControlPlaneTolerations(IEnumerable<V1Toleration>? deploymentTolerations) =>
    [
        K8s.Toleration("node-role.kubernetes.io/master"),
        K8s.Toleration("node-role.kubernetes.io/control-plane"),
        Tolerations.Gpu,
        .. (deploymentTolerations ?? []).Select(Tolerations.Clone),
    ];
}
