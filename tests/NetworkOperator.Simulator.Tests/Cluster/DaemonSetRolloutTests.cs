using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class DaemonSetRolloutTests
{
    private static readonly Dictionary<string, string> NicNodes = new() { ["feature.node.kubernetes.io/pci-15b3.present"] = "true" };

    private static async Task<IList<V1Pod>> PodsAsync(Kubernetes client, string app) =>
        (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=" + app)).Items;

    [Fact]
    public async Task Daemon_set_rolls_out_over_nic_nodes_of_every_pool_honouring_taints_and_tolerations()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { Nodes = ClusterTestNodes.Mixed() });
        using var client = cluster.CreateClient();

        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("agent", "example/agent:1", nodeSelector: NicNodes), "default");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("gpu-agent", "example/agent:1", nodeSelector: NicNodes,
            tolerations: [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }]), "default");

        await Eventually.TrueAsync(async () =>
        {
            var ds = await client.AppsV1.ReadNamespacedDaemonSetAsync("gpu-agent", "default");
            return ds.Status?.NumberReady == 4 && ds.Status.NumberAvailable == 4;
        }, "gpu-agent ready on the four NIC nodes");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "default")).Status?.NumberReady == 3,
            "agent ready on the three untainted NIC nodes");

        var agent = await client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "default");
        Assert.Equal(3, agent.Status.DesiredNumberScheduled);
        Assert.Equal(3, agent.Status.CurrentNumberScheduled);
        Assert.Equal(3, agent.Status.UpdatedNumberScheduled);
        Assert.Equal(0, agent.Status.NumberMisscheduled);
        Assert.Equal(agent.Metadata.Generation, agent.Status.ObservedGeneration);

        var pods = await PodsAsync(client, "agent");
        Assert.Equal(["ubuntu22-1", "ubuntu22-2", "ubuntu24-1"], pods.Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal));
        Assert.All(pods, pod =>
        {
            Assert.Matches("^agent-[a-z0-9]{5}$", pod.Metadata.Name);
            Assert.Equal("Running", pod.Status.Phase);
            Assert.True(pod.Status.ContainerStatuses.Single().Ready);
            Assert.Equal("1", pod.Metadata.Labels["pod-template-generation"]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.True(owner.Controller);
            Assert.Equal(agent.Metadata.Uid, owner.Uid);
            Assert.False(string.IsNullOrEmpty(pod.Status.PodIP));
        });
        var hash = pods[0].Metadata.Labels["controller-revision-hash"];
        var revision = await client.AppsV1.ReadNamespacedControllerRevisionAsync($"agent-{hash}", "default");
        Assert.Equal(1, revision.Revision);

        var gpuPods = await PodsAsync(client, "gpu-agent");
        Assert.Contains(gpuPods, p => p.Spec.NodeName == "gpu-1");
        Assert.DoesNotContain(gpuPods, p => p.Spec.NodeName is "cpu-1" or "control-plane");
    }

    [Fact]
    public async Task A_node_label_change_wakes_only_the_daemon_sets_whose_placement_on_that_node_changed()
    {
        // As kube-controller-manager's updateNode: a DaemonSet sync is linear in the nodes, so a label flip on one
        // node must not sync every DaemonSet in the cluster.
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 4, SyntheticNodes = { CpuOnlyShare = 0 } });
        using var client = cluster.CreateClient();
        var gate = new Dictionary<string, string> { ["example.com/ready"] = "true" };
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("everywhere", "example/a:1"), "default");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("gated", "example/a:1", nodeSelector: gate), "default");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("everywhere", "default")).Status?.NumberAvailable == 4,
            "everywhere available on the four nodes");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("gated", "default")).Status?.DesiredNumberScheduled == 0,
            "gated has a status and no node");
        var nodes = cluster.NodeNames.Order(StringComparer.Ordinal).ToList();
        var everywhereBefore = cluster.Counters.DaemonSetSyncsOf("default/everywhere");

        // A label neither DaemonSet selects on, on every node; then the gated label on one node. The node informer
        // hands these changes over in order, so once gated runs there, the unrelated ones were handled before.
        foreach (var node in nodes)
        {
            await client.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"example.com/unrelated":"x"}}}""", V1Patch.PatchType.MergePatch), node);
        }

        await client.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"example.com/ready":"true"}}}""", V1Patch.PatchType.MergePatch), nodes[0]);
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("gated", "default")).Status?.NumberAvailable == 1,
            "gated available on the labelled node");

        Assert.Equal(everywhereBefore, cluster.Counters.DaemonSetSyncsOf("default/everywhere"));
        Assert.True(cluster.Counters.DaemonSetSyncsOf("default/gated") > 0);
        Assert.Equal([nodes[0]], (await PodsAsync(client, "gated")).Select(p => p.Spec.NodeName));
    }

    [Fact]
    public async Task Placement_follows_node_label_changes_and_template_changes_from_sync_to_sync()
    {
        // The controller keeps each node's placement between syncs; a changed node or a new template must not reuse it.
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            NodeCount = 3, SyntheticNodes = { CpuOnlyShare = 0 },
            PodGarbageCollectionPeriod = TimeSpan.FromMilliseconds(100), PodGarbageCollectionQuarantine = TimeSpan.Zero,
        });
        using var client = cluster.CreateClient();
        var nodes = cluster.NodeNames.Order(StringComparer.Ordinal).ToList();
        async Task Label(string node, string key, string? value) => await client.CoreV1.PatchNodeAsync(new V1Patch(
            new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { [key] = value } } }
                .ToJsonString(), V1Patch.PatchType.MergePatch), node);
        async Task<List<string>> RunningOn() => [.. (await PodsAsync(client, "picky")).Where(p => p.Metadata.DeletionTimestamp is null)
            .Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal)];

        await Label(nodes[0], "example.com/a", "true");
        await Label(nodes[1], "example.com/b", "true");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("picky", "example/a:1",
            nodeSelector: new Dictionary<string, string> { ["example.com/a"] = "true" }), "default");
        await Eventually.TrueAsync(async () => (await RunningOn()).SequenceEqual([nodes[0]]), "picky on the node labelled a");

        await Label(nodes[2], "example.com/a", "true");
        await Label(nodes[0], "example.com/a", null);
        await Eventually.TrueAsync(async () => (await RunningOn()).SequenceEqual([nodes[2]]), "picky moved with the label");

        // A patch, not read-and-replace: the controller's status writes would make a replace conflict now and then.
        await client.AppsV1.PatchNamespacedDaemonSetAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"nodeSelector":{"example.com/a":null,"example.com/b":"true"}}}}}""", V1Patch.PatchType.MergePatch), "picky", "default");
        await Eventually.TrueAsync(async () => (await RunningOn()).SequenceEqual([nodes[1]]), "picky on the node labelled b after the template change");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("picky", "default")).Status is
            { DesiredNumberScheduled: 1, NumberMisscheduled: 0 }, "status counts the new placement");

        // A node that joins with the label gets a pod; one that leaves drops out of the desired count (its pod is the
        // pod garbage collector's); an untolerated NoExecute taint evicts the daemon from a node that keeps its label.
        var joined = SyntheticNodeGenerator.Build("joined", NodePool.Defaults[0], true, new SyntheticNodeOptions(), DateTime.UtcNow);
        joined.Metadata.Labels["example.com/b"] = "true";
        await cluster.AddNodeAsync(joined);
        await Eventually.TrueAsync(async () => (await RunningOn()).Order(StringComparer.Ordinal).SequenceEqual(new[] { nodes[1], "joined" }.Order(StringComparer.Ordinal)), "picky on the node that joined");
        await client.CoreV1.DeleteNodeAsync("joined");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("picky", "default")).Status is
            { DesiredNumberScheduled: 1 }, "a node that left is no longer desired");
        await Eventually.TrueAsync(async () => (await PodsAsync(client, "picky")).All(p => p.Spec.NodeName != "joined"), "its pod collected");
        await client.CoreV1.PatchNodeAsync(new V1Patch(
            """{"spec":{"taints":[{"key":"example.com/maintenance","value":"true","effect":"NoExecute"}]}}""", V1Patch.PatchType.MergePatch), nodes[1]);
        await Eventually.TrueAsync(async () => (await RunningOn()).Count == 0, "picky evicted by the NoExecute taint");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("picky", "default")).Status is
            { DesiredNumberScheduled: 0, CurrentNumberScheduled: 0 }, "status counts no node");
    }

    [Fact]
    public async Task Rolling_update_replaces_every_pod_and_on_delete_waits_for_deletions()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 4, SyntheticNodes = { CpuOnlyShare = 0 } });
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("rolling", "example/a:1"), "default");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("manual", "example/a:1", strategy: "OnDelete"), "default");
        foreach (var name in new[] { "rolling", "manual" })
        {
            await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync(name, "default")).Status?.NumberAvailable == 4, name + " available");
        }

        var manualBefore = (await PodsAsync(client, "manual")).Select(p => p.Metadata.Name).ToHashSet();
        foreach (var name in new[] { "rolling", "manual" })
        {
            var ds = await client.AppsV1.ReadNamespacedDaemonSetAsync(name, "default");
            ds.Spec.Template.Spec.Containers[0].Image = "example/a:2";
            await client.AppsV1.ReplaceNamespacedDaemonSetAsync(ds, name, "default");
        }

        await Eventually.TrueAsync(async () =>
        {
            var ds = await client.AppsV1.ReadNamespacedDaemonSetAsync("rolling", "default");
            var pods = await PodsAsync(client, "rolling");
            return ds.Status?.ObservedGeneration == 2 && ds.Status.UpdatedNumberScheduled == 4 && ds.Status.NumberAvailable == 4 &&
                   pods.Count == 4 && pods.All(p => p.Spec.Containers[0].Image == "example/a:2");
        }, "rolling update finished");
        var rollingPods = await PodsAsync(client, "rolling");
        Assert.All(rollingPods, p => Assert.Equal("2", p.Metadata.Labels["pod-template-generation"]));
        var revisions = (await client.AppsV1.ListNamespacedControllerRevisionAsync("default")).Items
            .Where(r => r.Metadata.OwnerReferences?.Any(o => o.Name == "rolling") == true).ToList();
        Assert.Equal([1L, 2L], revisions.Select(r => r.Revision).Order());
        Assert.Equal(rollingPods[0].Metadata.Labels["controller-revision-hash"],
            revisions.Single(r => r.Revision == 2).Metadata.Labels["controller-revision-hash"]);

        // OnDelete: nothing is replaced until a pod is deleted, then only that node gets the new template.
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("manual", "default")).Status?.ObservedGeneration == 2,
            "manual status observed");
        var manual = await client.AppsV1.ReadNamespacedDaemonSetAsync("manual", "default");
        Assert.Equal(0, manual.Status.UpdatedNumberScheduled ?? 0);
        Assert.Equal(manualBefore, (await PodsAsync(client, "manual")).Select(p => p.Metadata.Name).ToHashSet());

        var victim = (await PodsAsync(client, "manual")).First();
        await client.CoreV1.DeleteNamespacedPodAsync(victim.Metadata.Name, "default");
        await Eventually.TrueAsync(async () =>
        {
            var pods = await PodsAsync(client, "manual");
            return pods.Count == 4 && pods.Count(p => p.Spec.Containers[0].Image == "example/a:2" && p.Status.Phase == "Running") == 1 &&
                   pods.Single(p => p.Spec.Containers[0].Image == "example/a:2").Spec.NodeName == victim.Spec.NodeName;
        }, "one replaced OnDelete pod");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("manual", "default")).Status?.UpdatedNumberScheduled == 1,
            "updatedNumberScheduled 1");
    }
}
