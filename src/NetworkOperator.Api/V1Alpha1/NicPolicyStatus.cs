using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Status shared by NicClusterPolicy and NicNodePolicy.</summary>
[Description("Observed state of the policy's components.")]
public sealed class NicPolicyStatus
{
    [JsonPropertyName("state")]
    [Required]
    [AllowedValues(SyncStates.Ignore, SyncStates.NotReady, SyncStates.Ready, SyncStates.Error)]
    [Description("Aggregate of all states: ready when every enabled component is ready.")]
    public string? State { get; set; }

    [JsonPropertyName("reason")]
    [Description("Explanation for special outcomes, such as an ignored instance name or overlapping node selectors.")]
    public string? Reason { get; set; }

    [JsonPropertyName("appliedStates")]
    [Description("Result per state, in sync order.")]
    public List<AppliedState>? AppliedStates { get; set; }

    [JsonPropertyName("conditions")]
    [Description("Readiness per component and overall (type Ready).")]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("upgrade")]
    [Description("Progress of automatic driver upgrades.")]
    public DriverUpgradeStatus? Upgrade { get; set; }
}
