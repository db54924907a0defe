using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The Multus meta-plugin.</summary>
public sealed class MultusSpec : ImageSpec
{
    [JsonPropertyName("config")]
    [Description("Multus configuration; when absent Multus generates it from the primary CNI configuration.")]
    public string? Config { get; set; }
}
