using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Rendering.Tests.Ofed;

public class NodePoolsTests
{
    [Fact]
    public void One_pool_per_os_version_and_kernel_among_nic_nodes()
    {
        var result = NodePools.Compute(
        [
            TestNodes.Nic("a"), TestNodes.Nic("b"), TestNodes.Nic("c", kernel: "5.15.0-78-generic"),
            TestNodes.Nic("d", os: "rhel", version: "9.4", kernel: "5.14.0-427.13.1.el9_4.x86_64"), TestNodes.Cpu("cpu"),
        ], null);

        Assert.Equal(3, result.Pools.Count);
        var pool = Assert.Single(result.Pools, p => p.Kernel == "5.15.0-91-generic");
        Assert.Equal(["a", "b"], pool.NodeNames);
        Assert.Equal("mofed-ubuntu22.04-6d568d699f", pool.BaseName);
        Assert.Equal("containerd", pool.ContainerRuntime);
        Assert.DoesNotContain(result.Pools, p => p.NodeNames.Contains("cpu"));
    }

    [Fact]
    public void Nodes_with_untolerated_taints_are_left_out_and_reported()
    {
        var tainted = TestNodes.Nic("t", taints: new V1Taint { Key = "dedicated", Value = "x", Effect = "NoSchedule" });
        var result = NodePools.Compute([TestNodes.Nic("a"), tainted], null);
        Assert.Equal(["a"], Assert.Single(result.Pools).NodeNames);
        Assert.Equal("t", Assert.Single(result.Skipped).Name);

        var tolerated = NodePools.Compute([tainted], [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }]);
        Assert.Equal(["t"], Assert.Single(tolerated.Pools).NodeNames);
    }

    [Fact]
    public void Nodes_without_nfd_labels_are_skipped()
    {
        var node = TestNodes.Nic("a");
        node.Metadata.Labels.Remove(Labels.KernelVersionFull);
        var result = NodePools.Compute([node], null);
        Assert.Empty(result.Pools);
        Assert.Contains("NFD", Assert.Single(result.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_selector_restricts_the_nodes()
    {
        var gpu = TestNodes.Nic("gpu");
        gpu.Metadata.Labels["node-role.kubernetes.io/gpu"] = "";
        var result = NodePools.Compute([gpu, TestNodes.Nic("other")], null, new Dictionary<string, string> { ["node-role.kubernetes.io/gpu"] = "" });
        Assert.Equal(["gpu"], Assert.Single(result.Pools).NodeNames);
    }

    [Fact]
    public void Mixed_architectures_on_one_kernel_are_split_and_named_by_arch()
    {
        var result = NodePools.Compute([TestNodes.Nic("x86"), TestNodes.Nic("arm", arch: "arm64")], null);
        Assert.Equal(2, result.Pools.Count);
        Assert.All(result.Pools, p => Assert.True(p.ArchSplit));
        Assert.Equal(["mofed-ubuntu22.04-6d568d699f-amd64", "mofed-ubuntu22.04-6d568d699f-arm64"], result.Pools.Select(p => p.BaseName));
    }
}
