using k8s.Models;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class NodeInventoryTests
{
    private const string KubectlDump = """
        apiVersion: v1
        items:
        - apiVersion: v1
          kind: Node
          metadata:
            labels:
              feature.node.kubernetes.io/pci-15b3.present: "true"
              feature.node.kubernetes.io/system-os_release.ID: ubuntu
              feature.node.kubernetes.io/system-os_release.VERSION_ID: "22.04"
              kubernetes.io/hostname: worker-1
            name: worker-1
          spec:
            taints:
            - effect: NoSchedule
              key: nvidia.com/gpu
          status:
            allocatable:
              cpu: "32"
              memory: 128Gi
              pods: "110"
            capacity:
              cpu: "32"
              memory: 128Gi
              pods: "110"
            conditions:
            - type: Ready
              status: "True"
            nodeInfo:
              kernelVersion: 5.15.0-91-generic
              osImage: Ubuntu 22.04.4 LTS
              containerRuntimeVersion: containerd://1.7.13
        - apiVersion: v1
          kind: Node
          metadata:
            name: worker-2
        kind: List
        metadata:
          resourceVersion: ""
        """;

    [Fact]
    public void Reads_a_kubectl_get_nodes_yaml_list()
    {
        var nodes = NodeInventory.Parse(KubectlDump, "nodes.yaml");

        Assert.Equal(["worker-1", "worker-2"], nodes.Select(n => n.Metadata.Name));
        var first = nodes[0];
        Assert.Equal("22.04", first.Metadata.Labels[NodeLabels.OsReleaseVersionId]);
        Assert.Equal("nvidia.com/gpu", Assert.Single(first.Spec.Taints).Key);
        Assert.Equal(32m, first.Status.Allocatable["cpu"].ToDecimal());
        Assert.True(NodeConditions.IsReady(first));
        Assert.Equal("5.15.0-91-generic", first.Status.NodeInfo.KernelVersion);
    }

    [Fact]
    public void Reads_a_multi_document_stream_and_json()
    {
        var yaml = "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: b\n";
        Assert.Equal(["a", "b"], NodeInventory.Parse(yaml, "x.yaml").Select(n => n.Metadata.Name));

        var plain = "kind: Node\nmetadata:\n  name: d\nstatus:\n  allocatable:\n    cpu: 16\n    rdma/rdma_shared_device_a: 63\n";
        Assert.Equal(63m, Assert.Single(NodeInventory.Parse(plain, "x.yaml")).Status.Allocatable["rdma/rdma_shared_device_a"].ToDecimal());

        var json = """{"apiVersion":"v1","kind":"NodeList","items":[{"metadata":{"name":"c"}}]}""";
        Assert.Equal("c", Assert.Single(NodeInventory.Parse(json, "x.json")).Metadata.Name);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Node\nmetadata:\n  labels: {}\n", "nodes.yaml: document 1 (Node (unnamed)): field metadata.name: required")]
    [InlineData("apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata:\n    name: p\n", "nodes.yaml: document 1: field items[0].kind: expected Node, found Pod")]
    [InlineData("kind: Node\nmetadata:\n  name: a\n---\nkind: Node\nmetadata:\n  name: a\n", "nodes.yaml: document 2 (Node a): field metadata.name: duplicate node name a")]
    [InlineData("kind: Node\nmetadata:\n  name: a\nstatus:\n  allocatable:\n    cpu: lots\n", "nodes.yaml: document 1 (Node a): field status.allocatable.cpu: not a quantity: lots")]
    [InlineData("kind: Node\nmetadata: [\n", "nodes.yaml: invalid YAML at line")]
    public void Bad_input_names_file_document_object_and_field(string text, string expected)
    {
        var error = Assert.Throws<NodeInventoryException>(() => NodeInventory.Parse(text, "nodes.yaml"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<NodeInventoryException>(() => NodeInventory.Load("/nonexistent/nodes.yaml"));
        Assert.StartsWith("/nonexistent/nodes.yaml: cannot read the node inventory", error.Message, StringComparison.Ordinal);
    }
}
