using System.Text.Json.Nodes;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Serialization;

public class RoundTripTests
{
    public static TheoryData<string, Type> Examples => new()
    {
        { "nicclusterpolicy-full.yaml", typeof(NicClusterPolicy) },
        { "nicnodepolicy-full.yaml", typeof(NicNodePolicy) },
        { "macvlannetwork-full.yaml", typeof(MacvlanNetwork) },
        { "hostdevicenetwork-full.yaml", typeof(HostDeviceNetwork) },
        { "ipoibnetwork-full.yaml", typeof(IPoIBNetwork) },
        { "networkattachmentdefinition-full.yaml", typeof(NetworkAttachmentDefinition) },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Yaml_example_parses_strictly_and_serializes_back_without_loss(string file, Type type)
    {
        var source = YamlJson.ParseDocuments(TestFiles.Read(file)).Single().Root!;

        var typed = KubernetesObjectSerializer.FromJsonNode(source, type);
        var back = KubernetesObjectSerializer.ToJsonNode(typed);

        AssertSameTree(source, back);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Yaml_written_by_the_serializer_reads_back_to_the_same_object(string file, Type type)
    {
        var source = YamlJson.ParseDocuments(TestFiles.Read(file)).Single().Root!;
        var typed = KubernetesObjectSerializer.FromJsonNode(source, type);

        var yaml = KubernetesObjectSerializer.ToYaml(typed);
        var reread = YamlJson.ParseDocuments(yaml).Single().Root!;

        AssertSameTree(source, reread);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Json_written_by_the_serializer_reads_back_to_the_same_object(string file, Type type)
    {
        var source = YamlJson.ParseDocuments(TestFiles.Read(file)).Single().Root!;
        var typed = KubernetesObjectSerializer.FromJsonNode(source, type);

        var json = KubernetesObjectSerializer.ToJson(typed, indented: true);

        AssertSameTree(source, JsonNode.Parse(json)!);
    }

    [Fact]
    public void Typed_fields_hold_the_values_of_the_example()
    {
        var policy = KubernetesObjectSerializer.FromYaml<NicClusterPolicy>(TestFiles.Read("nicclusterpolicy-full.yaml"));

        Assert.Equal("nic-cluster-policy", policy.Metadata.Name);
        Assert.Equal("doca-driver", policy.Spec.OfedDriver!.Image);
        Assert.Equal("25%", policy.Spec.OfedDriver.UpgradePolicy!.MaxUnavailable!.Value);
        Assert.Equal("200m", policy.Spec.OfedDriver.ContainerResources![0].Requests!["cpu"].ToString());
        Assert.Equal("02:00:00:00:00:00:00:00", policy.Spec.IBKubernetes!.PKeyGuidPoolRangeStart);
        Assert.Equal("whereabouts", policy.Spec.SecondaryNetwork!.IpamPlugin!.Image);
        Assert.Equal("spec.nodeName", policy.Spec.OfedDriver.Env![1].ValueFrom.FieldRef.FieldPath);
        Assert.Equal(300, policy.Spec.Tolerations![1].TolerationSeconds);
        Assert.Equal(new DateTime(2026, 11, 30, 2, 0, 0, DateTimeKind.Utc), policy.Status!.Conditions![0].LastTransitionTime);
        Assert.Equal(3, policy.Status.Upgrade!.NodeCountsByState!["upgrade-done"]);
        Assert.Contains("\"rdmaHcaMax\": 63", policy.Spec.RdmaSharedDevicePlugin!.Config, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_max_unavailable_is_written_as_a_number()
    {
        var policy = new DriverUpgradePolicySpec { MaxUnavailable = 3 };

        var json = KubernetesObjectSerializer.ToJson(policy);

        Assert.Equal("{\"maxUnavailable\":3}", json);
    }

    internal static void AssertSameTree(JsonNode expected, JsonNode actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
        }
    }
}
