using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The DOCA telemetry service.</summary>
public sealed class DocaTelemetryServiceSpec : ImageSpec
{
    [JsonPropertyName("config")]
    [Description("Custom configuration; when set, no default ConfigMap is deployed.")]
    public DocaTelemetryServiceConfig? Config { get; set; }
}
