using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Image settings every NicClusterPolicy component inherits when it leaves its own empty.</summary>
public sealed class GlobalConfig
{
    [JsonPropertyName("repository")]
    [Description("Default image repository for components that do not set one.")]
    public string? Repository { get; set; }

    [JsonPropertyName("version")]
    [Description("Default image version for components that do not set one.")]
    public string? Version { get; set; }

    [JsonPropertyName("imagePullSecrets")]
    [Description("Default image pull secrets for components whose list is empty.")]
    public List<string>? ImagePullSecrets { get; set; }
}
