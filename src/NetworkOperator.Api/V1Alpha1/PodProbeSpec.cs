using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Timing of one probe of the driver container.</summary>
public sealed class PodProbeSpec
{
    [JsonPropertyName("initialDelaySeconds")]
    [Required]
    [Description("Seconds after container start before the probe runs.")]
    public int? InitialDelaySeconds { get; set; }

    [JsonPropertyName("periodSeconds")]
    [Required]
    [Description("Seconds between probe runs.")]
    public int? PeriodSeconds { get; set; }

    [JsonPropertyName("failureThreshold")]
    [Description("Consecutive failures after which the probe counts as failed.")]
    public int? FailureThreshold { get; set; }

    [JsonPropertyName("timeoutSeconds")]
    [Description("Seconds after which one probe run times out.")]
    public int? TimeoutSeconds { get; set; }
}
