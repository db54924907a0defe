using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

[Description("Desired IPoIB network.")]
public sealed class IPoIBNetworkSpec
{
    [JsonPropertyName("networkNamespace")]
    [Description("Namespace of the generated NetworkAttachmentDefinition; empty means 'default'.")]
    public string? NetworkNamespace { get; set; }

    [JsonPropertyName("master")]
    [Description("InfiniBand host interface the IPoIB child interfaces are created on.")]
    public string? Master { get; set; }

    [JsonPropertyName("ipam")]
    [Description("IPAM configuration, a JSON object placed under the 'ipam' key of the CNI configuration.")]
    public string? Ipam { get; set; }
}
