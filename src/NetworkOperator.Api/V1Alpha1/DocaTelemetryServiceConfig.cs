using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Where the DOCA telemetry service reads its configuration.</summary>
public sealed class DocaTelemetryServiceConfig
{
    [JsonPropertyName("fromConfigMap")]
    [Description("Name of a ConfigMap in the operator namespace holding the telemetry configuration.")]
    public string? FromConfigMap { get; set; }
}
