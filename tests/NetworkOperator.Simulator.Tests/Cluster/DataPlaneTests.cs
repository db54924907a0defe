using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Cluster.DataPlane;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class DataPlaneTests
{
    private const string Resource = "rdma/rdma_shared_device_a";

    private static V1ConfigMap RdmaConfig() => new()
    {
        Metadata = new V1ObjectMeta { Name = "rdma-devices", NamespaceProperty = "default" },
        Data = new Dictionary<string, string>
        {
            ["config.json"] = """{"configList":[{"resourceName":"rdma_shared_device_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}""",
        },
    };

    private static V1DaemonSet DevicePlugin(string onNode)
    {
        var ds = ClusterTestNodes.DaemonSet("rdma-shared-dp", "nvcr.io/nvidia/mellanox/k8s-rdma-shared-dev-plugin:1.5.2",
            nodeSelector: new Dictionary<string, string> { ["kubernetes.io/hostname"] = onNode });
        ds.Metadata.Name = "rdma-shared-dp-ds";
        ds.Spec.Template.Spec.Containers[0].Name = "rdma-shared-dp";
        ds.Spec.Template.Spec.Volumes = [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "rdma-devices" } }];
        return ds;
    }

    private static V1DaemonSet Multus()
    {
        var ds = ClusterTestNodes.DaemonSet("multus", "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0-thin");
        ds.Metadata.Name = "kube-multus-ds";
        ds.Spec.Template.Spec.Containers[0].Name = "kube-multus";
        ds.Spec.Template.Spec.HostNetwork = true;
        return ds;
    }

    /// <summary>A DaemonSet whose pods install CNI binaries, one container per component image.</summary>
    private static V1DaemonSet Installer(string name, params string[] images)
    {
        var ds = ClusterTestNodes.DaemonSet(name, images[0]);
        ds.Spec.Template.Spec.Containers = [.. images.Select((image, i) => new V1Container { Name = $"c{i}", Image = image })];
        ds.Spec.Template.Spec.HostNetwork = true;
        return ds;
    }

    private static async Task<string?> SandboxEventAsync(Kubernetes client, string pod, string contains)
    {
        var events = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={pod}");
        return events.Items.FirstOrDefault(e => e.Reason == "FailedCreatePodSandBox" && e.Type == "Warning" && e.Message.Contains(contains, StringComparison.Ordinal))?.Message;
    }

    private static async Task<string?> WaitingReasonAsync(Kubernetes client, string pod) =>
        (await client.CoreV1.ReadNamespacedPodAsync(pod, "default")).Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason;

    private static V1Pod Workload(string name, string networks, string? resource = Resource)
    {
        var container = new V1Container { Name = "app", Image = "example/rdma-test:1" };
        if (resource is not null)
        {
            var amount = new Dictionary<string, ResourceQuantity> { [resource] = new("1") };
            container.Resources = new V1ResourceRequirements { Requests = amount, Limits = amount };
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string> { ["k8s.v1.cni.cncf.io/networks"] = networks },
            },
            Spec = new V1PodSpec { Containers = [container] },
        };
    }

    private static JsonArray NetworkStatus(V1Pod pod) =>
        JsonNode.Parse(pod.Metadata.Annotations["k8s.v1.cni.cncf.io/network-status"])!.AsArray();

    [Fact]
    public async Task Rdma_pod_is_pending_until_the_device_plugin_is_ready_waits_for_whereabouts_then_runs_there_with_net1_from_it()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { Nodes = ClusterTestNodes.Mixed() });
        using var client = cluster.CreateClient();
        await NetworkCrds.InstallAsync(cluster);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(NetworkCrds.Nad("rdma-net",
            """{"cniVersion":"0.3.1","type":"macvlan","master":"ens1f0","ipam":{"type":"whereabouts","range":"192.168.2.224/28","exclude":["192.168.2.224/30"]}}"""),
            "k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(Multus(), "default");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(Installer("cni-plugins-ds", "ghcr.io/k8snetworkplumbingwg/plugins:v1.6.2"), "default");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("kube-multus-ds", "default")).Status?.NumberReady == 4 &&
                                               (await client.AppsV1.ReadNamespacedDaemonSetAsync("cni-plugins-ds", "default")).Status?.NumberReady == 4,
            "multus and the CNI plugins ready on the untainted nodes");

        await client.CoreV1.CreateNamespacedPodAsync(Workload("rdma-test", "rdma-net"), "default");
        await Eventually.TrueAsync(async () =>
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync("rdma-test", "default");
            return pod.Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true;
        }, "rdma-test unschedulable");
        var pending = await client.CoreV1.ReadNamespacedPodAsync("rdma-test", "default");
        Assert.Equal("Pending", pending.Status.Phase);
        Assert.Null(pending.Spec.NodeName);
        var scheduled = pending.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Unschedulable", scheduled.Reason);
        Assert.StartsWith("0/6 nodes are available: ", scheduled.Message, StringComparison.Ordinal);
        Assert.Contains("4 Insufficient rdma/rdma_shared_device_a", scheduled.Message, StringComparison.Ordinal);
        // The scheduler records the Event after it wrote the condition.
        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=rdma-test")).Items
            .Any(e => e.Reason == "FailedScheduling" && e.Type == "Warning" && e.Message == scheduled.Message), "FailedScheduling event with the condition's message");

        await client.CoreV1.CreateNamespacedConfigMapAsync(RdmaConfig(), "default");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(DevicePlugin("ubuntu24-1"), "default");
        await Eventually.TrueAsync(async () =>
        {
            var node = await client.CoreV1.ReadNodeAsync("ubuntu24-1");
            return node.Status.Allocatable.TryGetValue(Resource, out var q) && q.ToDecimal() == 63;
        }, "device plugin advertises 63 HCAs");
        Assert.Equal(63m, (await client.CoreV1.ReadNodeAsync("ubuntu24-1")).Status.Capacity[Resource].ToDecimal());

        // Scheduled now, but the NAD's IPAM plugin is not installed on the node: no sandbox, no address.
        await Eventually.TrueAsync(async () => await SandboxEventAsync(client, "rdma-test", "failed to find plugin \"whereabouts\"") is not null,
            "sandbox failure naming whereabouts");
        Assert.Equal("ContainerCreating", await WaitingReasonAsync(client, "rdma-test"));
        var noIpam = await client.CoreV1.ReadNamespacedPodAsync("rdma-test", "default");
        Assert.Equal("Pending", noIpam.Status.Phase);
        Assert.False(noIpam.Metadata.Annotations.ContainsKey("k8s.v1.cni.cncf.io/network-status"));
        Assert.Contains("error adding container to network \"default/rdma-net\"", await SandboxEventAsync(client, "rdma-test", "whereabouts"), StringComparison.Ordinal);
        await client.AppsV1.CreateNamespacedDaemonSetAsync(Installer("whereabouts", "ghcr.io/k8snetworkplumbingwg/whereabouts:v0.7.0"), "default");

        await Eventually.TrueAsync(async () =>
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync("rdma-test", "default");
            return pod.Status.Phase == "Running" && pod.Status.ContainerStatuses?.All(c => c.Ready) == true;
        }, "rdma-test running, errors: " + string.Join("\n", cluster.LastErrors) + " pod: " +
           KubernetesJson.Serialize(await client.CoreV1.ReadNamespacedPodAsync("rdma-test", "default")));
        var running = await client.CoreV1.ReadNamespacedPodAsync("rdma-test", "default");
        Assert.Equal("ubuntu24-1", running.Spec.NodeName);
        var status = NetworkStatus(running);
        Assert.Equal("eth0", status[0]!["interface"]!.ToString());
        Assert.True(status[0]!["default"]!.GetValue<bool>());
        Assert.Equal(running.Status.PodIP, status[0]!["ips"]![0]!.ToString());
        Assert.Equal("default/rdma-net", status[1]!["name"]!.ToString());
        Assert.Equal("net1", status[1]!["interface"]!.ToString());
        var net1 = status[1]!["ips"]![0]!.ToString();
        Assert.Equal("192.168.2.228", net1);
        Assert.Matches("^02(:[0-9a-f]{2}){5}$", status[1]!["mac"]!.ToString());

        // A second pod gets the next address; deleting the first releases its address.
        await client.CoreV1.CreateNamespacedPodAsync(Workload("rdma-test-2", "rdma-net"), "default");
        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("rdma-test-2", "default")).Status.Phase == "Running", "second pod running");
        Assert.Equal("192.168.2.229", NetworkStatus(await client.CoreV1.ReadNamespacedPodAsync("rdma-test-2", "default"))[1]!["ips"]![0]!.ToString());
        Assert.Equal(2, cluster.NetworkAddresses.InUse("whereabouts:192.168.2.224/28"));
        await client.CoreV1.DeleteNamespacedPodAsync("rdma-test", "default");
        await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=rdma-test")).Items.Count == 0,
            "rdma-test gone");
        Assert.Equal(1, cluster.NetworkAddresses.InUse("whereabouts:192.168.2.224/28"));

        // When the device plugin goes, its resources go with it.
        await client.AppsV1.DeleteNamespacedDaemonSetAsync("rdma-shared-dp-ds", "default");
        await Eventually.TrueAsync(async () => !(await client.CoreV1.ReadNodeAsync("ubuntu24-1")).Status.Allocatable.ContainsKey(Resource),
            "resources withdrawn");
    }

    [Fact]
    public async Task Pod_waits_in_container_creating_until_multus_its_nad_and_the_nad_plugins_are_on_the_node_then_nv_ipam_hands_out_an_address()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 2, SyntheticNodes = { CpuOnlyShare = 0 } });
        using var client = cluster.CreateClient();
        await NetworkCrds.InstallAsync(cluster);

        // No Multus on the nodes yet: nothing can read the networks annotation, so the sandbox fails.
        await client.CoreV1.CreateNamespacedPodAsync(Workload("lost", "no-such-net", resource: null), "default");
        await Eventually.TrueAsync(async () => await SandboxEventAsync(client, "lost", "failed to find plugin \"multus-shim\"") is not null,
            "sandbox failure naming multus");
        Assert.Equal("ContainerCreating", await WaitingReasonAsync(client, "lost"));

        await client.AppsV1.CreateNamespacedDaemonSetAsync(Multus(), "default");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("kube-multus-ds", "default")).Status?.NumberReady == 2, "multus ready");
        await Eventually.TrueAsync(async () => await SandboxEventAsync(client, "lost", "no-such-net") is not null, "sandbox failure event");
        var lost = await client.CoreV1.ReadNamespacedPodAsync("lost", "default");
        Assert.Equal("Pending", lost.Status.Phase);
        Assert.Equal("ContainerCreating", lost.Status.ContainerStatuses.Single().State.Waiting.Reason);
        var message = await SandboxEventAsync(client, "lost", "no-such-net");
        Assert.Contains("network-attachment-definitions.k8s.cni.cncf.io \"no-such-net\" not found", message, StringComparison.Ordinal);

        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "nvidia-network-operator" } });
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = "nv-ipam.nvidia.com/v1alpha1",
            ["kind"] = "IPPool",
            ["metadata"] = new JsonObject { ["name"] = "pool1", ["namespace"] = "nvidia-network-operator" },
            ["spec"] = new JsonObject { ["subnet"] = "192.168.0.0/24", ["perNodeBlockSize"] = 32, ["gateway"] = "192.168.0.1" },
        }, "nv-ipam.nvidia.com", "v1alpha1", "nvidia-network-operator", "ippools");

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(NetworkCrds.Nad("no-such-net",
            """{"cniVersion":"0.3.1","type":"ipoib","master":"ibp1s0","ipam":{"type":"nv-ipam","poolName":"pool1"}}"""),
            "k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions");
        await Eventually.TrueAsync(async () => await SandboxEventAsync(client, "lost", "failed to find plugin \"ipoib\"") is not null,
            "sandbox failure naming the NAD's CNI plugin");
        Assert.Equal("ContainerCreating", await WaitingReasonAsync(client, "lost"));
        await client.AppsV1.CreateNamespacedDaemonSetAsync(Installer("ipoib", "nvcr.io/nvidia/mellanox/ipoib-cni:network-operator-v25.7.0"), "default");
        await Eventually.TrueAsync(async () => await SandboxEventAsync(client, "lost", "failed to find plugin \"nv-ipam\"") is not null,
            "sandbox failure naming the NAD's IPAM plugin");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(Installer("nv-ipam-node", "nvcr.io/nvidia/mellanox/nvidia-k8s-ipam:network-operator-v25.7.0"), "default");
        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("lost", "default")).Status.Phase == "Running", "pod runs once the NAD and its plugins exist");
        var status = NetworkStatus(await client.CoreV1.ReadNamespacedPodAsync("lost", "default"));
        Assert.Equal("192.168.0.2", status[1]!["ips"]![0]!.ToString());
    }

    [Fact]
    public void Image_names_map_to_the_binaries_their_pods_install()
    {
        Assert.Equal("multus-cni", CniBinaries.ImageName("ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0-thin"));
        Assert.Equal("plugins", CniBinaries.ImageName("nvcr.io/nvidia/mellanox/plugins@sha256:0123"));
        Assert.Equal("whereabouts", CniBinaries.ImageName("localhost:5000/whereabouts"));
        Assert.Contains("host-local", CniBinaries.Defaults()["plugins"]);
        Assert.Contains("macvlan", CniBinaries.Defaults()["plugins"]);
    }

    [Fact]
    public void Network_selection_annotation_parses_both_forms()
    {
        var list = NetworkSelection.Parse("a, other/b@eth5", "ns");
        Assert.Equal([new NetworkAttachment("ns", "a", null, null, null), new NetworkAttachment("other", "b", "eth5", null, null)], list);
        var json = NetworkSelection.Parse("""[{"name":"c","namespace":"x","interface":"rdma0","ips":["10.0.0.5/24"]}]""", "ns");
        Assert.Equal("x", json[0].Namespace);
        Assert.Equal("rdma0", json[0].Interface);
        Assert.Equal(["10.0.0.5/24"], json[0].Ips);
    }

    [Fact]
    public void Ip_ranges_skip_network_broadcast_and_exclusions_and_allocation_is_unique_until_released()
    {
        var range = new Ipv4Range("10.10.0.0/29");
        range.Exclude("10.10.0.1");
        range.Exclude("10.10.0.4/31");
        var allocator = new IpAddressAllocator();
        Assert.Equal("10.10.0.2", allocator.Allocate("a", "p", range));
        Assert.Equal("10.10.0.3", allocator.Allocate("b", "p", range));
        Assert.Equal("10.10.0.6", allocator.Allocate("c", "p", range));
        Assert.Null(allocator.Allocate("d", "p", range));
        allocator.Release("b");
        Assert.Equal("10.10.0.3", allocator.Allocate("d", "p", range));
        Assert.Equal("10.10.0.2", allocator.Allocate("e", "other-pool", range));
    }
}
