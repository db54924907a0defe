using System.ComponentModel;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Pods whose completion a node upgrade waits for.</summary>
public sealed class WaitForCompletionSpec
{
    [JsonPropertyName("podSelector")]
    [Description("Label selector of the pods to wait for.")]
    public string? PodSelector { get; set; }

    [JsonPropertyName("timeoutSeconds")]
    [DefaultValue(0)]
    [Minimum(0)]
    [Description("Seconds to wait; 0 waits forever.")]
    public int? TimeoutSeconds { get; set; }
}
