using k8s.Models;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// Slims Nodes and Pods before they enter the operator's caches (the informer <c>Transform</c>), and says which part of
/// their JSON is decoded at all (the informer <c>Shape</c>, the same fields). At 1,000 nodes the
/// full objects (pod specs with volumes, env and probes; node status, images and managedFields) were most of the
/// operator's heap, yet the controllers read only the fields kept here:
/// <list type="bullet">
/// <item>Node: metadata (labels for pools, selectors and wait labels; labels, annotations and cordon for the upgrade
/// controller), taints (toleration matching), the container runtime version of <c>status.nodeInfo</c> (a driver pool's
/// runtime) and the Ready condition's type and status (the upgrade's unavailable-node count).</item>
/// <item>Pod: metadata (labels incl. controller-revision-hash, owner, deletion), <c>spec.nodeName</c>, phase and
/// container and init container readiness and restart counts (the wait-label planner and the upgrade state machine).</item>
/// </list>
/// Strings that repeat from object to object (label keys and values, owners, images) are shared through one
/// <see cref="StringPool"/>: at 10,000 nodes their per-object copies were a large part of what remained.
/// </summary>
public static class CacheTransforms
{
    private static readonly StringPool Strings = new();

    /// <summary>The metadata every slimmed cache keeps: identity, versions, timestamps, labels, annotations, owners, finalizers.</summary>
    internal static JsonShape MetadataShape { get; } = JsonShape.Of("name", "namespace", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "labels", "annotations", "ownerReferences", "finalizers");

    private static readonly JsonShape ContainerStatusShape = JsonShape.Of("name", "ready", "image", "imageID", "restartCount");

    /// <summary>What of a Node is decoded at all: everything <see cref="Node"/> keeps, nothing more.</summary>
    public static JsonShape NodeShape { get; } = JsonShape.Of(
        ("apiVersion", JsonShape.All), ("kind", JsonShape.All), ("metadata", MetadataShape),
        ("spec", JsonShape.Of("taints", "unschedulable")),
        ("status", JsonShape.Of(("nodeInfo", JsonShape.Of("containerRuntimeVersion")), ("conditions", JsonShape.Of("type", "status")))));

    /// <summary>What of a Pod is decoded at all: everything <see cref="Pod"/> keeps, nothing more.</summary>
    public static JsonShape PodShape { get; } = JsonShape.Of(
        ("apiVersion", JsonShape.All), ("kind", JsonShape.All), ("metadata", MetadataShape),
        ("spec", JsonShape.Of("nodeName")),
        ("status", JsonShape.Of(("phase", JsonShape.All), ("containerStatuses", ContainerStatusShape), ("initContainerStatuses", ContainerStatusShape))));

    public static object Node(object obj)
    {
        if (obj is not V1Node node)
        {
            return obj;
        }

        return new V1Node
        {
            ApiVersion = Strings.Intern(node.ApiVersion),
            Kind = Strings.Intern(node.Kind),
            Metadata = Metadata(node.Metadata),
            Spec = node.Spec is null ? null : new V1NodeSpec { Taints = Taints(node.Spec.Taints), Unschedulable = node.Spec.Unschedulable },
            Status = node.Status is null
                ? null
                : new V1NodeStatus
                {
                    NodeInfo = node.Status.NodeInfo is null
                        ? null
                        : new V1NodeSystemInfo { ContainerRuntimeVersion = Strings.Intern(node.Status.NodeInfo.ContainerRuntimeVersion) },

                    // Heartbeat times and messages change constantly and nothing reads them.
                    Conditions = node.Status.Conditions?.Where(c => c.Type == "Ready")
                        .Select(c => new V1NodeCondition { Type = Strings.Intern(c.Type), Status = Strings.Intern(c.Status) })
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
            ApiVersion = Strings.Intern(pod.ApiVersion),
            Kind = Strings.Intern(pod.Kind),
            Metadata = Metadata(pod.Metadata),
            Spec = pod.Spec is null ? null : new V1PodSpec { NodeName = pod.Spec.NodeName, Containers = [] },
            Status = pod.Status is null
                ? null
                : new V1PodStatus
                {
                    Phase = Strings.Intern(pod.Status.Phase),
                    ContainerStatuses = Slim(pod.Status.ContainerStatuses),
                    InitContainerStatuses = Slim(pod.Status.InitContainerStatuses),
                },
        };
    }

    private static List<V1ContainerStatus>? Slim(IList<V1ContainerStatus>? statuses) =>
        statuses?.Select(c => new V1ContainerStatus
            {
                Name = Strings.Intern(c.Name), Ready = c.Ready, Image = Strings.Intern(c.Image), ImageID = Strings.Intern(c.ImageID),
                RestartCount = c.RestartCount,
            })
            .ToList();

    private static List<V1Taint>? Taints(IList<V1Taint>? taints) =>
        taints?.Select(t => new V1Taint { Key = Strings.Intern(t.Key), Value = Strings.Intern(t.Value), Effect = Strings.Intern(t.Effect), TimeAdded = t.TimeAdded })
            .ToList();

    // managedFields alone is often larger than everything else the operator reads from a Node or Pod.
    private static V1ObjectMeta Metadata(V1ObjectMeta? meta) => meta is null
        ? new V1ObjectMeta()
        : new V1ObjectMeta
        {
            Name = meta.Name,
            NamespaceProperty = Strings.Intern(meta.NamespaceProperty),
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
            Generation = meta.Generation,
            CreationTimestamp = meta.CreationTimestamp,
            DeletionTimestamp = meta.DeletionTimestamp,
            Labels = Strings.Intern(meta.Labels, meta.Name),
            Annotations = Strings.Intern(meta.Annotations, meta.Name),
            OwnerReferences = meta.OwnerReferences?.Select(r => new V1OwnerReference
                {
                    ApiVersion = Strings.Intern(r.ApiVersion), Kind = Strings.Intern(r.Kind), Name = Strings.Intern(r.Name), Uid = Strings.Intern(r.Uid),
                    Controller = r.Controller, BlockOwnerDeletion = r.BlockOwnerDeletion,
                })
                .ToList(),
            Finalizers = meta.Finalizers?.Select(f => Strings.Intern(f)!).ToList(),
        };
}
