using k8s.Models;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Networks;

namespace NetworkOperator.Rendering.Tests.Networks;

public class NetworkRendererTests
{
    private static NetworkAttachmentDefinition Nad(RenderResult result) => Assert.IsType<NetworkAttachmentDefinition>(Assert.Single(result.Objects));

    [Fact]
    public void Macvlan_omits_empty_fields_and_defaults_the_namespace()
    {
        var network = new MacvlanNetwork { Metadata = new V1ObjectMeta { Name = "m" }, Spec = new MacvlanNetworkSpec { Mtu = 0 } };
        var nad = Nad(new MacvlanNetworkRenderer().Render(network, Policies.Facts()));
        Assert.Equal("default", nad.Metadata.NamespaceProperty);
        Assert.Equal("m", nad.Metadata.Name);
        Assert.Equal("{\"cniVersion\":\"0.3.1\",\"name\":\"m\",\"type\":\"macvlan\",\"ipam\":{}}", nad.Spec.Config);
        Assert.Equal(StateNames.MacvlanNetwork, nad.Metadata.Labels[Labels.State]);
        Assert.True(nad.Metadata.Annotations.ContainsKey(Annotations.Revision));
    }

    [Fact]
    public void Macvlan_keeps_whitespace_inside_ipam_strings()
    {
        var network = new MacvlanNetwork { Metadata = new V1ObjectMeta { Name = "m" }, Spec = new MacvlanNetworkSpec { Ipam = "{\"type\": \"static\", \"note\": \"a  b\"}" } };
        Assert.Contains("\"note\":\"a  b\"", Nad(new MacvlanNetworkRenderer().Render(network, Policies.Facts())).Spec.Config, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hostdev", "nvidia.com/hostdev")]
    [InlineData("nvidia.com/hostdev", "nvidia.com/hostdev")]
    public void Host_device_resource_name_gets_the_nvidia_prefix_once(string resourceName, string expected)
    {
        var network = new HostDeviceNetwork { Metadata = new V1ObjectMeta { Name = "h" }, Spec = new HostDeviceNetworkSpec { NetworkNamespace = "ns1", ResourceName = resourceName } };
        var nad = Nad(new HostDeviceNetworkRenderer().Render(network, Policies.Facts()));
        Assert.Equal(expected, nad.Metadata.Annotations[Annotations.NadResourceName]);
        Assert.Equal("ns1", nad.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Ipoib_always_emits_master()
    {
        var network = new IPoIBNetwork { Metadata = new V1ObjectMeta { Name = "i" }, Spec = new IPoIBNetworkSpec() };
        Assert.Equal("{\"cniVersion\":\"0.3.1\",\"name\":\"i\",\"type\":\"ipoib\",\"master\":\"\",\"ipam\":{}}", Nad(new IPoIBNetworkRenderer().Render(network, Policies.Facts())).Spec.Config);
    }

    [Fact]
    public void Invalid_ipam_is_a_render_error_and_no_nad()
    {
        var network = new HostDeviceNetwork { Metadata = new V1ObjectMeta { Name = "h" }, Spec = new HostDeviceNetworkSpec { ResourceName = "x", Ipam = "{'type': 'static'}" } };
        var outcome = Assert.Single(ClusterRenderer.RenderAll([network], Policies.Facts()));
        Assert.Empty(outcome.Objects);
        Assert.Equal("spec.ipam", outcome.Error!.FieldPath);
    }
}
