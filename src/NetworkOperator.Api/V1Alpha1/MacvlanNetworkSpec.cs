using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

[Description("Desired macvlan network.")]
public sealed class MacvlanNetworkSpec
{
    public static readonly IReadOnlyList<string> Modes = ["bridge", "private", "vepa", "passthru"];

    [JsonPropertyName("networkNamespace")]
    [Description("Namespace of the generated NetworkAttachmentDefinition; empty means 'default'.")]
    public string? NetworkNamespace { get; set; }

    [JsonPropertyName("master")]
    [Description("Host interface the macvlan interfaces are created on.")]
    public string? Master { get; set; }

    [JsonPropertyName("mode")]
    [AllowedValues("bridge", "private", "vepa", "passthru")]
    [Description("Macvlan mode; the plugin defaults to bridge.")]
    public string? Mode { get; set; }

    [JsonPropertyName("mtu")]
    [Minimum(0)]
    [Description("MTU of the pod interface; 0 keeps the master's MTU.")]
    public int? Mtu { get; set; }

    [JsonPropertyName("ipam")]
    [Description("IPAM configuration, a JSON object placed under the 'ipam' key of the CNI configuration.")]
    public string? Ipam { get; set; }

    [JsonPropertyName("metaPlugins")]
    [Description("CNI plugin configurations (comma-separated JSON objects) chained after macvlan.")]
    public string? MetaPlugins { get; set; }
}
