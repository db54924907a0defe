using k8s;
using k8s.Models;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>Creates nodes, pods and budgets on a (simulated) API server the way their controllers would leave them.</summary>
internal static class KubeObjectsForTests
{
    public static async Task<V1Node> CreateNodeAsync(IKubernetes client, string name, Dictionary<string, string>? labels = null)
    {
        var node = await client.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec(),
        });
        node.Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] };
        return await client.CoreV1.ReplaceNodeStatusAsync(node, name);
    }

    /// <summary>A running, ready pod bound to <paramref name="node"/>; <paramref name="ownerKind"/> null = unmanaged.</summary>
    public static async Task<V1Pod> CreateRunningPodAsync(IKubernetes client, string ns, string name, string node,
        Dictionary<string, string>? labels = null, string? ownerKind = "ReplicaSet", bool emptyDir = false,
        Dictionary<string, string>? annotations = null)
    {
        var pod = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name, NamespaceProperty = ns, Labels = labels, Annotations = annotations,
                OwnerReferences = ownerKind is null ? null :
                [
                    new V1OwnerReference { ApiVersion = ownerKind == "DaemonSet" ? "apps/v1" : "apps/v1", Kind = ownerKind, Name = "owner-" + name, Uid = Guid.NewGuid().ToString(), Controller = true },
                ],
            },
            Spec = new V1PodSpec
            {
                NodeName = node,
                Containers = [new V1Container { Name = "main", Image = "busybox" }],
                Volumes = emptyDir ? [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }] : null,
            },
        }, ns);
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            ContainerStatuses = [new V1ContainerStatus { Name = "main", Ready = true, Image = "busybox", ImageID = "busybox", RestartCount = 0 }],
        };
        return await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, ns);
    }

    public static Task<V1PodDisruptionBudget> CreateBudgetAsync(IKubernetes client, string ns, string name, Dictionary<string, string> selector, int minAvailable) =>
        client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = minAvailable, Selector = new V1LabelSelector { MatchLabels = selector } },
        }, ns);

    public static async Task<List<string>> PodNamesOnAsync(IKubernetes client, string node)
    {
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}");
        return [.. pods.Items.Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}").Order(StringComparer.Ordinal)];
    }
}
