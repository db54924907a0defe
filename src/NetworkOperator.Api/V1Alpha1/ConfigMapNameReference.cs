using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Names a ConfigMap in the operator namespace.</summary>
public sealed class ConfigMapNameReference
{
    [JsonPropertyName("name")]
    [Description("Name of the ConfigMap.")]
    public string? Name { get; set; }
}
