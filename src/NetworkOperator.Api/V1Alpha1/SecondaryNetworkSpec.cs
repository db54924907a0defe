using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Components that give pods additional network interfaces.</summary>
public sealed class SecondaryNetworkSpec
{
    [JsonPropertyName("multus")]
    [Description("Multus CNI meta-plugin.")]
    public MultusSpec? Multus { get; set; }

    [JsonPropertyName("cniPlugins")]
    [Description("Image of the standard containernetworking CNI plugins.")]
    public ImageSpec? CniPlugins { get; set; }

    [JsonPropertyName("ipoib")]
    [Description("Image of the IPoIB CNI plugin.")]
    public ImageSpec? Ipoib { get; set; }

    /// <summary>Removed upstream in 2025; kept because existing policies still carry it (see docs/differences-from-upstream.md).</summary>
    [JsonPropertyName("ipamPlugin")]
    [Description("Image information for IPAM plugin (whereabouts). Deprecated: use nvIpam instead.")]
    public ImageSpec? IpamPlugin { get; set; }
}
