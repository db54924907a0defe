using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The RDMA shared or SR-IOV network device plugin.</summary>
public sealed class DevicePluginSpec : ImageSpec
{
    [JsonPropertyName("config")]
    [Description("Device plugin configuration, a JSON document passed to the plugin as-is.")]
    public string? Config { get; set; }

    [JsonPropertyName("useCdi")]
    [Description("Run the device plugin in CDI mode. The container runtime must be set up for CDI separately.")]
    public bool? UseCdi { get; set; }
}
