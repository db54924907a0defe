using k8s.Models;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>Node sets and workload objects for the simulated-cluster tests.</summary>
internal static class ClusterTestNodes
{
    /// <summary>Six nodes: four NIC nodes over three pools (one tainted for GPUs), one CPU-only, one control plane.</summary>
    public static IReadOnlyList<V1Node> Mixed()
    {
        var options = new SyntheticNodeOptions();
        var now = DateTime.UtcNow;
        var pools = NodePool.Defaults;
        var gpu = SyntheticNodeGenerator.Build("gpu-1", pools[3], true, options, now);
        gpu.Spec.Taints = [new V1Taint { Key = "nvidia.com/gpu", Effect = "NoSchedule" }];
        var control = SyntheticNodeGenerator.Build("control-plane", pools[0], false, options, now);
        control.Spec.Taints = [new V1Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }];
        return
        [
            SyntheticNodeGenerator.Build("ubuntu22-1", pools[0], true, options, now),
            SyntheticNodeGenerator.Build("ubuntu22-2", pools[1], true, options, now),
            SyntheticNodeGenerator.Build("ubuntu24-1", pools[2], true, options, now),
            gpu,
            SyntheticNodeGenerator.Build("cpu-1", pools[2], false, options, now),
            control,
        ];
    }

    public static V1DaemonSet DaemonSet(string name, string image, string strategy = "RollingUpdate", IDictionary<string, string>? nodeSelector = null,
        IList<V1Toleration>? tolerations = null, string ns = "default")
    {
        return new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = strategy },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec
                    {
                        NodeSelector = nodeSelector,
                        Tolerations = tolerations,
                        Containers = [new V1Container { Name = name, Image = image }],
                    },
                },
            },
        };
    }
}
