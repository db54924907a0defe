using k8s.Models;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// Slims Nodes and Pods before they enter the operator's caches (the informer <c>Transform</c>). At 1,000 nodes the
/// full objects (pod specs with volumes, env and probes; node status, images and managedFields) were most of the
/// operator's heap, yet the controllers read only the fields kept here:
/// <list type="bullet">
/// <item>Node: metadata (labels for pools, selectors and wait labels; labels, annotations and cordon for the upgrade
/// controller), taints (toleration matching), <c>status.nodeInfo</c> (container runtime of a driver pool) and the
/// Ready condition's type and status (the upgrade's unavailable-node count).</item>
/// <item>Pod: metadata (labels incl. controller-revision-hash, owner, deletion), <c>spec.nodeName</c>, phase and
/// container and init container readiness and restart counts (the wait-label planner and the upgrade state machine).</item>
/// </list>
/// </summary>
public static class CacheTransforms
{
    public static object Node(object obj)
    {
        if (obj is not V1Node node)
        {
            return obj;
        }

        return new V1Node
        {
            ApiVersion = node.ApiVersion,
            Kind = node.Kind,
            Metadata = Metadata(node.Metadata),
            Spec = node.Spec is null ? null : new V1NodeSpec { Taints = node.Spec.Taints, Unschedulable = node.Spec.Unschedulable },
            Status = node.Status is null
                ? null
                : new V1NodeStatus
                {
                    NodeInfo = node.Status.NodeInfo,

                    // Heartbeat times and messages change constantly and nothing reads them.
                    Conditions = node.Status.Conditions?.Where(c => c.Type == "Ready").Select(c => new V1NodeCondition { Type = c.Type, Status = c.Status })
                        .ToList(),
                },
        };
    }

    public static object Pod(object obj)
    {
        if (obj is not V1Pod pod)
        {
            return obj;
        }

        return new V1Pod
        {
            ApiVersion = pod.ApiVersion,
            Kind = pod.Kind,
            Metadata = Metadata(pod.Metadata),
            Spec = pod.Spec is null ? null : new V1PodSpec { NodeName = pod.Spec.NodeName, Containers = [] },
            Status = pod.Status is null
                ? null
                : new V1PodStatus
                {
                    Phase = pod.Status.Phase,
                    ContainerStatuses = Slim(pod.Status.ContainerStatuses),
                    InitContainerStatuses = Slim(pod.Status.InitContainerStatuses),
                },
        };
    }

    private static List<V1ContainerStatus>? Slim(IList<V1ContainerStatus>? statuses) =>
        statuses?.Select(c => new V1ContainerStatus { Name = c.Name, Ready = c.Ready, Image = c.Image, ImageID = c.ImageID, RestartCount = c.RestartCount })
            .ToList();

    // managedFields alone is often larger than everything else the operator reads from a Node or Pod.
    private static V1ObjectMeta Metadata(V1ObjectMeta? meta) => meta is null
        ? new V1ObjectMeta()
        : new V1ObjectMeta
        {
            Name = meta.Name,
            NamespaceProperty = meta.NamespaceProperty,
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
            Generation = meta.Generation,
            CreationTimestamp = meta.CreationTimestamp,
            DeletionTimestamp = meta.DeletionTimestamp,
            Labels = meta.Labels,
            Annotations = meta.Annotations,
            OwnerReferences = meta.OwnerReferences,
            Finalizers = meta.Finalizers,
        };
}
