using k8s;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class SyntheticNodeGeneratorTests
{
    [Fact]
    public void Spreads_nodes_over_pools_with_a_share_of_cpu_only_nodes()
    {
        var nodes = SyntheticNodeGenerator.Generate(new SyntheticNodeOptions { Count = 100, CpuOnlyShare = 0.2 }, TestObjects.Now);

        Assert.Equal(100, nodes.Count);
        Assert.Equal(100, nodes.Select(n => n.Metadata.Name).Distinct().Count());
        var withNic = nodes.Where(n => n.Metadata.Labels.ContainsKey(NodeLabels.MellanoxNicPresent)).ToList();
        Assert.Equal(80, withNic.Count);
        var pools = withNic.GroupBy(n => (n.Metadata.Labels[NodeLabels.OsReleaseId], n.Metadata.Labels[NodeLabels.OsReleaseVersionId], n.Metadata.Labels[NodeLabels.KernelVersionFull]))
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(NodePool.Defaults.Count, pools.Count);
        Assert.All(pools.Values, count => Assert.Equal(16, count));
        Assert.Contains(pools.Keys, k => k.Item1 == "rhel" && k.Item2 == "9.4");
        Assert.Contains(pools.Keys, k => k.Item1 == "ubuntu" && k.Item2 == "24.04");
    }

    [Fact]
    public void Nodes_look_like_what_a_kubelet_and_nfd_report()
    {
        var node = SyntheticNodeGenerator.Generate(new SyntheticNodeOptions { Count = 1, CpuOnlyShare = 0 }, TestObjects.Now)[0];

        Assert.Equal("node-0001", node.Metadata.Name);
        Assert.Equal("node-0001", node.Metadata.Labels[NodeLabels.Hostname]);
        Assert.Equal("linux", node.Metadata.Labels[NodeLabels.Os]);
        Assert.Equal("amd64", node.Metadata.Labels[NodeLabels.Arch]);
        Assert.Equal("true", node.Metadata.Labels[NodeLabels.MellanoxNicPresent]);
        Assert.Equal(node.Status.NodeInfo.KernelVersion, node.Metadata.Labels[NodeLabels.KernelVersionFull]);
        Assert.StartsWith("containerd://", node.Status.NodeInfo.ContainerRuntimeVersion, StringComparison.Ordinal);
        Assert.Equal(110m, node.Status.Allocatable["pods"].ToDecimal());
        Assert.True(node.Status.Allocatable["cpu"].ToDecimal() < node.Status.Capacity["cpu"].ToDecimal());
        Assert.True(NodeConditions.IsReady(node));
    }

    [Fact]
    public void Generation_is_deterministic_and_round_trips_through_the_inventory_reader()
    {
        var options = new SyntheticNodeOptions { Count = 12 };
        var a = SyntheticNodeGenerator.Generate(options, TestObjects.Now);
        var b = SyntheticNodeGenerator.Generate(options, TestObjects.Now);
        Assert.Equal(a.Select(n => KubernetesJson.Serialize(n)), b.Select(n => KubernetesJson.Serialize(n)));

        var list = new k8s.Models.V1NodeList { ApiVersion = "v1", Kind = "List", Items = [.. a] };
        var read = NodeInventory.Parse(KubernetesYaml.Serialize(list), "generated.yaml");
        Assert.Equal(a.Select(n => KubernetesJson.Serialize(n)), read.Select(n => KubernetesJson.Serialize(n)));
    }
}
