using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.NodeLabels;
using NetworkOperator.Controllers.Tests.Upgrade;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Controllers.Tests.Caching;

/// <summary>
/// The slimmed Nodes and Pods still answer every question the controllers ask of them (pools, tolerations, wait
/// labels, driver upgrades) while the bulk (managedFields, pod specs, node status other than nodeInfo and readiness) is gone.
/// </summary>
public sealed class CacheTransformsTests
{
    private static V1Node FullNode(string name, string kernel, IList<V1Taint>? taints = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = name, Uid = name + "-uid", ResourceVersion = "7",
            Labels = new Dictionary<string, string>
            {
                [Labels.Arch] = "amd64", [Labels.NicPresent] = "true", [Labels.OsReleaseId] = "ubuntu",
                [Labels.OsReleaseVersionId] = "22.04", [Labels.KernelVersionFull] = kernel,
            },
            Annotations = new Dictionary<string, string> { ["example.com/note"] = "kept" },
            ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubelet", Operation = "Update" }],
        },
        Spec = new V1NodeSpec { Taints = taints, Unschedulable = true, PodCIDR = "10.0.0.0/24" },
        Status = new V1NodeStatus
        {
            NodeInfo = new V1NodeSystemInfo { ContainerRuntimeVersion = "cri-o://1.29.1", KernelVersion = kernel },
            Images = [new V1ContainerImage { Names = ["registry.example/big:1"], SizeBytes = 1 << 30 }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    [Fact]
    public void Slim_nodes_keep_labels_annotations_taints_cordon_node_info_and_readiness_only()
    {
        var slim = (V1Node)CacheTransforms.Node(FullNode("worker-1", "5.15.0-91-generic",
            [new V1Taint { Key = "example.com/maintenance", Effect = "NoSchedule" }]));

        Assert.Equal("worker-1", slim.Metadata.Name);
        Assert.Equal("7", slim.Metadata.ResourceVersion);
        Assert.Equal("kept", slim.Metadata.Annotations["example.com/note"]);
        Assert.Null(slim.Metadata.ManagedFields);
        Assert.True(slim.Spec.Unschedulable);
        Assert.Null(slim.Spec.PodCIDR);
        Assert.Equal("example.com/maintenance", Assert.Single(slim.Spec.Taints).Key);
        Assert.Null(slim.Status.Images);
        var ready = Assert.Single(slim.Status.Conditions);
        Assert.Equal(("Ready", "True"), (ready.Type, ready.Status));
        Assert.Null(ready.LastHeartbeatTime);
        Assert.Equal("cri-o://1.29.1", slim.Status.NodeInfo.ContainerRuntimeVersion);
    }

    [Fact]
    public void Slim_nodes_share_the_strings_that_repeat_from_node_to_node()
    {
        var one = (V1Node)CacheTransforms.Node(FullNode("worker-1", new string('5', 3)));
        var two = (V1Node)CacheTransforms.Node(FullNode("worker-2", new string('5', 3)));

        Assert.Same(one.Metadata.Labels.Keys.First(k => k == Labels.KernelVersionFull), two.Metadata.Labels.Keys.First(k => k == Labels.KernelVersionFull));
        Assert.Same(one.Metadata.Labels[Labels.KernelVersionFull], two.Metadata.Labels[Labels.KernelVersionFull]);
        Assert.Same(one.Status.NodeInfo.ContainerRuntimeVersion, two.Status.NodeInfo.ContainerRuntimeVersion);
        Assert.Null(one.Status.NodeInfo.KernelVersion);
    }

    [Fact]
    public void Driver_pools_computed_from_slim_nodes_equal_those_from_full_nodes()
    {
        var full = new[]
        {
            FullNode("worker-1", "5.15.0-91-generic"),
            FullNode("worker-2", "5.15.0-105-generic"),
            FullNode("worker-3", "5.15.0-91-generic", [new V1Taint { Key = "example.com/maintenance", Effect = "NoSchedule" }]),
        };
        var slim = full.Select(n => (V1Node)CacheTransforms.Node(n)).ToList();

        var fromFull = NodePools.Compute(full, null);
        var fromSlim = NodePools.Compute(slim, null);

        Assert.Equal(fromFull.Pools.Select(p => (p.BaseName, p.ContainerRuntime, string.Join(",", p.NodeNames))),
            fromSlim.Pools.Select(p => (p.BaseName, p.ContainerRuntime, string.Join(",", p.NodeNames))));
        Assert.Equal(fromFull.Skipped, fromSlim.Skipped);
        Assert.Contains(fromSlim.Skipped, s => s.Name == "worker-3");
    }

    private static V1Pod FullDriverPod() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "mofed-1", NamespaceProperty = "nvidia-network-operator",
            Labels = new Dictionary<string, string> { [Labels.OfedDriver] = string.Empty, [Labels.DsOwner] = Labels.DsOwnerClusterPolicy },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "mofed", Uid = "ds", Controller = true }],
            ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubelet" }],
        },
        Spec = new V1PodSpec
        {
            NodeName = "worker-1",
            Containers = [new V1Container { Name = "mofed-container", Image = "doca-driver:1", Env = [new V1EnvVar { Name = "A", Value = "b" }] }],
            Volumes = [new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [new V1ContainerStatus { Name = "mofed-container", Ready = true, Image = "doca-driver:1", ImageID = "sha", RestartCount = 0 }],
        },
    };

    [Fact]
    public void Slim_pods_keep_what_the_wait_label_planner_reads()
    {
        var pod = FullDriverPod();
        var node = FullNode("worker-1", "5.15.0-91-generic");
        node.Metadata.Labels[Labels.MofedWait] = "true";
        var policies = new DriverPolicies { ClusterPolicyHasDriver = true };

        var slim = (V1Pod)CacheTransforms.Pod(pod);

        Assert.Null(slim.Metadata.ManagedFields);
        Assert.Empty(slim.Spec.Containers);
        Assert.Null(slim.Spec.Volumes);
        Assert.Equal("worker-1", slim.Spec.NodeName);
        Assert.Equal(WaitLabelPlanner.Plan([node], [pod], [], policies).Changes, WaitLabelPlanner.Plan([node], [slim], [], policies).Changes);
        Assert.Equal("false", WaitLabelPlanner.Plan([node], [slim], [], policies).Changes["worker-1"][Labels.MofedWait]);
    }

    [Fact]
    public void The_shapes_keep_everything_the_transforms_keep()
    {
        var node = FullNode("worker-1", "5.15.0-91-generic", [new V1Taint { Key = "k", Value = "v", Effect = "NoSchedule", TimeAdded = DateTime.UtcNow }]);
        node.Metadata.Finalizers = ["example.com/f"];
        node.Metadata.CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        node.Metadata.Generation = 3;
        node.Status.Conditions = [new V1NodeCondition { Type = "MemoryPressure", Status = "False" },
            new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady", LastHeartbeatTime = DateTime.UtcNow }];
        var pod = FullDriverPod();
        pod.ApiVersion = "v1";
        pod.Kind = "Pod";
        pod.Metadata.Uid = "u";
        pod.Metadata.ResourceVersion = "9";
        pod.Metadata.Generation = 1;
        pod.Metadata.CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        pod.Metadata.DeletionTimestamp = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        pod.Metadata.Labels[Labels.ControllerRevisionHash] = "abc";
        pod.Metadata.Annotations = new Dictionary<string, string> { ["a"] = "b" };
        pod.Metadata.OwnerReferences[0].BlockOwnerDeletion = true;
        pod.Metadata.Finalizers = ["example.com/f"];
        pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
        pod.Status.InitContainerStatuses = [new V1ContainerStatus { Name = "init", Ready = false, Image = "i:1", ImageID = "sha-i", RestartCount = 12 }];
        pod.Status.ContainerStatuses[0].RestartCount = 2;
        pod.Status.ContainerStatuses[0].Started = true;

        Assert.Equal(Slim(node, CacheTransforms.Node), Slim(Shaped(node, CacheTransforms.NodeShape), CacheTransforms.Node));
        Assert.Equal(Slim(pod, CacheTransforms.Pod), Slim(Shaped(pod, CacheTransforms.PodShape), CacheTransforms.Pod));

        // And the shapes do cut: what no transform keeps is never decoded.
        var shapedPod = Shaped(pod, CacheTransforms.PodShape);
        Assert.Null(shapedPod.Spec.Containers);
        Assert.Null(shapedPod.Status.Conditions);
        Assert.Null(shapedPod.Metadata.ManagedFields);
        Assert.Null(Shaped(node, CacheTransforms.NodeShape).Status.Images);

        static T Shaped<T>(T obj, NetworkOperator.Runtime.Client.JsonShape shape)
        {
            using var document = System.Text.Json.JsonDocument.Parse(k8s.KubernetesJson.Serialize(obj));
            return shape.Deserialize<T>(document.RootElement)!;
        }

        static string Slim(object obj, Func<object, object> transform) => k8s.KubernetesJson.Serialize(transform(obj));
    }

    [Fact]
    public void The_upgrade_state_machine_decides_the_same_from_slim_nodes_and_pods_as_from_full_ones()
    {
        var world = new UpgradeWorld(6, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 2, Drain = new DrainOptions() });
        world.RunToQuiescence();
        world.BumpTemplate();
        world.Nodes.Values.First().Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "False" }];
        var pod = world.Pods[^1];
        pod.Status.InitContainerStatuses = [new V1ContainerStatus { Name = "init", Ready = false, RestartCount = DriverPods.MaxRestarts + 1 }];
        var full = world.Snapshot();
        var slim = full with
        {
            Nodes = [.. full.Nodes.Select(n => (V1Node)CacheTransforms.Node(n))],
            DriverPods = [.. full.DriverPods.Select(p => (V1Pod)CacheTransforms.Pod(p))],
        };

        var fromFull = UpgradeStateMachine.Decide(full);
        var fromSlim = UpgradeStateMachine.Decide(slim);

        Assert.NotEmpty(fromFull.Actions);
        Assert.Equal(fromFull.Actions, fromSlim.Actions);
        Assert.Equal(fromFull.Summary.NodeCountsByState, fromSlim.Summary.NodeCountsByState);
        Assert.Equal(fromFull.Summary.Failed, fromSlim.Summary.Failed);
    }
}
