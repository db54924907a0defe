using k8s.Models;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>Small builders for nodes, pods and DaemonSets used by the pure cluster tests.</summary>
internal static class TestObjects
{
    public static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public static V1Node Node(string name, Dictionary<string, string>? labels = null, IList<V1Taint>? taints = null,
        bool unschedulable = false, Dictionary<string, string>? allocatable = null)
    {
        var node = SyntheticNodeGenerator.Build(name, NodePool.Defaults[0], hasMellanoxNic: true, new SyntheticNodeOptions(), Now);
        foreach (var (k, v) in labels ?? [])
        {
            node.Metadata.Labels[k] = v;
        }

        node.Spec.Taints = taints;
        node.Spec.Unschedulable = unschedulable ? true : null;
        foreach (var (k, v) in allocatable ?? [])
        {
            node.Status.Allocatable[k] = new ResourceQuantity(v);
        }

        return node;
    }

    public static V1Pod Pod(string name, Dictionary<string, string>? requests = null, string ns = "default")
    {
        var container = new V1Container { Name = "main", Image = "busybox" };
        if (requests is not null)
        {
            container.Resources = new V1ResourceRequirements
            {
                Requests = requests.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)),
            };
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string>() },
            Spec = new V1PodSpec { Containers = [container] },
        };
    }

    public static V1DaemonSet DaemonSet(string name = "agent", string strategy = "RollingUpdate", string? maxUnavailable = null, long generation = 1)
    {
        return new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = generation },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                UpdateStrategy = new V1DaemonSetUpdateStrategy
                {
                    Type = strategy,
                    RollingUpdate = strategy == "RollingUpdate" && maxUnavailable is not null
                        ? new V1RollingUpdateDaemonSet { MaxUnavailable = (IntOrString)maxUnavailable }
                        : null,
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = "example/" + name + ":v1" }] },
                },
            },
        };
    }

    public static V1Pod WithReady(V1Pod pod, bool ready, DateTime? since = null)
    {
        pod.Status ??= new V1PodStatus();
        pod.Status.Phase = "Running";
        pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = since ?? Now.AddMinutes(-5) }];
        return pod;
    }
}
