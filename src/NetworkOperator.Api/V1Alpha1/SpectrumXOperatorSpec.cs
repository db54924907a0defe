using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The Spectrum-X operator (flow controller).</summary>
public sealed class SpectrumXOperatorSpec : ImageSpec
{
    [JsonPropertyName("xPlane")]
    [Description("Image of the X-plane component, handed to the flow controller when its version is set.")]
    public ImageSpec? XPlane { get; set; }
}
