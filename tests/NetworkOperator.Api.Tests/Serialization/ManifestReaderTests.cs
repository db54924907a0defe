using k8s.Models;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Serialization;

public class ManifestReaderTests
{
    private readonly ManifestReader _reader = new();

    [Fact]
    public void Reads_a_multi_document_stream_of_several_kinds()
    {
        var result = _reader.ReadText("""
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: worker-1
              labels: {feature.node.kubernetes.io/pci-15b3.present: "true"}
            status:
              nodeInfo: {kernelVersion: 5.15.0-91-generic, architecture: amd64, futureField: x}
              futureStatus: {}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: m}
            spec: {master: ens1}
            """, "input.yaml");

        Assert.Empty(result.Errors);
        Assert.Equal(["NicClusterPolicy", "Node", "MacvlanNetwork"], result.Objects.Select(o => o.Kind.Kind));
        Assert.Equal("doca-driver", result.OfType<NicClusterPolicy>().Single().Spec.OfedDriver!.Image);
        Assert.Equal("worker-1", result.OfType<V1Node>().Single().Metadata.Name);
        Assert.Equal(2, result.Objects[2].DocumentIndex);
    }

    [Fact]
    public void Reads_a_kubectl_list()
    {
        var result = _reader.ReadText("""
            apiVersion: v1
            kind: List
            metadata: {resourceVersion: ""}
            items:
            - apiVersion: v1
              kind: Node
              metadata: {name: a}
            - apiVersion: v1
              kind: Node
              metadata: {name: b}
            """, "nodes.yaml");

        Assert.Empty(result.Errors);
        Assert.Equal(["a", "b"], result.OfType<V1Node>().Select(n => n.Metadata.Name));
        Assert.Equal(1, result.Objects[1].ItemIndex);
    }

    [Fact]
    public void Reads_json()
    {
        var result = _reader.ReadText("""
            {"apiVersion": "mellanox.com/v1alpha1", "kind": "IPoIBNetwork", "metadata": {"name": "i"}, "spec": {"master": "ib0"}}
            """, "net.json");

        Assert.Equal("ib0", Assert.IsType<IPoIBNetwork>(Assert.Single(result.Objects).Value).Spec.Master);
    }

    [Fact]
    public void Unknown_fields_are_errors_with_file_document_object_and_path()
    {
        var result = _reader.ReadText("""
            apiVersion: v1
            kind: Node
            metadata: {name: n}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ofedDriver:
                image: doca-driver
                verison: 25.07-0.9.7.0-0
            """, "policy.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.ofedDriver.verison", error.FieldPath);
        Assert.Equal(1, error.DocumentIndex);
        Assert.Equal("NicClusterPolicy", error.Kind);
        Assert.Equal("nic-cluster-policy", error.Name);
        Assert.Equal(12, error.Location!.Value.Line);
        Assert.Equal(
            "policy.yaml: document 2 (NicClusterPolicy \"nic-cluster-policy\"): spec.ofedDriver.verison (line 12, column 5): unknown field \"verison\"",
            error.ToString());
    }

    [Fact]
    public void Wrong_types_name_the_field_and_suggest_quoting()
    {
        var result = _reader.ReadText("""
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ofedDriver:
                image: doca-driver
                version: 24.10
            """, "p.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.ofedDriver.version", error.FieldPath);
        Assert.Equal("expected a string, got the number 24.1 (quote the value in YAML to keep it a string)", error.Message);
        Assert.Equal(7, error.Location!.Value.Line);
    }

    [Theory]
    [InlineData("spec: {ofedDriver: {image: x, terminationGracePeriodSeconds: soon}}", "spec.ofedDriver.terminationGracePeriodSeconds", "expected an integer")]
    [InlineData("spec: {tolerations: {key: a}}", "spec.tolerations", "expected a list")]
    [InlineData("spec: {tolerations: [{key: a, tolerationSecond: 1}]}", "spec.tolerations[0].tolerationSecond", "unknown field")]
    [InlineData("spec: {ofedDriver: {image: x, containerResources: [{name: mofed-container, limits: {cpu: lots}}]}}", "spec.ofedDriver.containerResources[0].limits.cpu", "'lots' is not a valid quantity")]
    [InlineData("spec: {ofedDriver: {image: x, upgradePolicy: {maxUnavailable: true}}}", "spec.ofedDriver.upgradePolicy.maxUnavailable", "expected an integer or a string")]
    [InlineData("spec: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: x}]}]}}}", "spec.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", "expected a list")]
    [InlineData("metadata: {name: nic-cluster-policy, labels: {a.b/c: 1}}", "metadata.labels[\"a.b/c\"]", "expected a string")]
    public void Field_errors_have_user_paths(string body, string path, string messageStart)
    {
        var yaml = "apiVersion: mellanox.com/v1alpha1\nkind: NicClusterPolicy\n" + body + "\n";

        var error = Assert.Single(_reader.ReadText(yaml, "p.yaml").Errors);

        Assert.Equal(path, error.FieldPath);
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Location!.Value.Line);
    }

    [Fact]
    public void Kinds_of_other_groups_are_skipped_and_typos_of_ours_are_errors()
    {
        var result = _reader.ReadText("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            ---
            apiVersion: nv-ipam.nvidia.com/v1alpha1
            kind: IPPool
            metadata: {name: pool1}
            ---
            apiVersion: mellanox.com/v1beta1
            kind: NicClusterPolicy
            metadata: {name: p}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicyy
            metadata: {name: p}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: HostDeviceNetwork
            metadata: {name: h}
            """, "mixed.yaml");

        Assert.Equal(["Deployment", "IPPool"], result.Skipped.Select(s => s.Kind));
        Assert.Equal("pool1", result.Skipped[1].Name);
        Assert.StartsWith("mixed.yaml: document 2 (IPPool \"pool1\")", result.Skipped[1].ToString(), StringComparison.Ordinal);
        Assert.Contains("skipped: IPPool (nv-ipam.nvidia.com/v1alpha1)", result.Skipped[1].ToString(), StringComparison.Ordinal);
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("apiVersion", result.Errors[0].FieldPath);
        Assert.Contains("expected \"mellanox.com/v1alpha1\"", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("kind", result.Errors[1].FieldPath);
        Assert.StartsWith("unknown kind \"NicClusterPolicyy\"", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.IsType<HostDeviceNetwork>(Assert.Single(result.Objects).Value);
        Assert.Throws<ManifestException>(() => result.GetObjectsOrThrow());
    }

    [Fact]
    public void Errors_inside_a_list_name_the_item()
    {
        var result = _reader.ReadText("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: mellanox.com/v1alpha1
              kind: NicNodePolicy
              metadata: {name: ok}
            - apiVersion: mellanox.com/v1alpha1
              kind: NicNodePolicy
              metadata: {name: bad}
              spec: {nodeSelector: {a: [1]}}
            """, "list.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.ItemIndex);
        Assert.Equal("bad", error.Name);
        Assert.Equal("spec.nodeSelector.a", error.FieldPath);
        Assert.Equal(10, error.Location!.Value.Line);
        Assert.StartsWith("list.yaml: document 1, item 2 (NicNodePolicy \"bad\"): spec.nodeSelector.a", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_errors_give_line_and_column()
    {
        var result = _reader.ReadText("apiVersion: v1\nkind: Node\nmetadata:\n  name: [a\n", "broken.yaml");

        var error = Assert.Single(result.Errors);
        Assert.NotNull(error.Location);
        Assert.StartsWith("broken.yaml: document 1", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind: Node\nmetadata: {name: a}", "apiVersion")]
    [InlineData("apiVersion: v1\nmetadata: {name: a}", "kind")]
    public void Missing_identity_fields_are_reported(string yaml, string path)
    {
        var error = Assert.Single(_reader.ReadText(yaml, "x.yaml").Errors);

        Assert.Equal(path, error.FieldPath);
    }

    [Fact]
    public void Scalar_documents_are_rejected()
    {
        var error = Assert.Single(_reader.ReadText("just text", "x.yaml").Errors);

        Assert.Contains("expected a Kubernetes object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_reported_by_name()
    {
        var path = Path.Combine(Path.GetTempPath(), "does-not-exist-" + Guid.NewGuid() + ".yaml");

        var error = Assert.Single(_reader.ReadFile(path).Errors);

        Assert.Equal(path + ": file not found", error.ToString());
    }

    [Fact]
    public void Full_examples_read_without_errors()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*-full.yaml");

        var result = _reader.ReadFiles(files);

        Assert.Empty(result.Errors);
        Assert.Equal(files.Length, result.Objects.Count);
    }

    [Fact]
    public void Objects_locate_their_fields_for_later_errors()
    {
        var result = _reader.ReadText("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: mellanox.com/v1alpha1
              kind: MacvlanNetwork
              metadata: {name: m}
              spec:
                mtu: 70000
            """, "list.yaml");

        var network = Assert.Single(result.Objects);
        var error = network.ErrorAt("spec.mtu", "too large");

        Assert.Equal(8, network.LocationOf("spec.mtu")!.Value.Line);
        Assert.Equal("list.yaml: document 1, item 1 (MacvlanNetwork \"m\"): spec.mtu (line 8, column 5): too large", error.ToString());
    }
}
