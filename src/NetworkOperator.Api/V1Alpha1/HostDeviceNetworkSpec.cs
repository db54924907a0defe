using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

[Description("Desired host-device network.")]
public sealed class HostDeviceNetworkSpec
{
    [JsonPropertyName("networkNamespace")]
    [Description("Namespace of the generated NetworkAttachmentDefinition.")]
    public string? NetworkNamespace { get; set; }

    [JsonPropertyName("resourceName")]
    [Description("Device-plugin resource the network uses; 'nvidia.com/' is prepended when it has no prefix.")]
    public string? ResourceName { get; set; }

    [JsonPropertyName("ipam")]
    [Description("IPAM configuration, a JSON object placed under the 'ipam' key of the CNI configuration.")]
    public string? Ipam { get; set; }

    [JsonPropertyName("metaPlugins")]
    [Description("CNI plugin configurations (comma-separated JSON objects) chained after host-device.")]
    public string? MetaPlugins { get; set; }
}
