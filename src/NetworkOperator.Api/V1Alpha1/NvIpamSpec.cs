using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The NVIDIA IPAM plugin.</summary>
public sealed class NvIpamSpec : ImageSpec
{
    [JsonPropertyName("enableWebhook")]
    [Description("Deploy the IP pool validating webhook.")]
    public bool? EnableWebhook { get; set; }
}
