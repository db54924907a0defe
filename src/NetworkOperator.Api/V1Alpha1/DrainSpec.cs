using System.ComponentModel;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>How a node is drained before its driver is replaced.</summary>
public sealed class DrainSpec
{
    [JsonPropertyName("enable")]
    [DefaultValue(true)]
    [Description("Drain the node before upgrading.")]
    public bool? Enable { get; set; }

    [JsonPropertyName("force")]
    [DefaultValue(false)]
    [Description("Also evict pods not managed by a controller.")]
    public bool? Force { get; set; }

    [JsonPropertyName("podSelector")]
    [Description("Label selector restricting which pods are evicted.")]
    public string? PodSelector { get; set; }

    [JsonPropertyName("timeoutSeconds")]
    [DefaultValue(300)]
    [Minimum(0)]
    [Description("Seconds the drain may take; 0 means no limit.")]
    public int? TimeoutSeconds { get; set; }

    [JsonPropertyName("deleteEmptyDir")]
    [DefaultValue(false)]
    [Description("Evict pods that use emptyDir volumes (their data is lost).")]
    public bool? DeleteEmptyDir { get; set; }
}
