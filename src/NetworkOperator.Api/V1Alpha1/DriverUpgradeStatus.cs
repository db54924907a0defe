using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>
/// Not in upstream (which exposes upgrade progress only as node labels): a summary so a user can see a rollout's progress
/// and what blocks it from the policy alone.
/// </summary>
public sealed class DriverUpgradeStatus
{
    [JsonPropertyName("nodeCountsByState")]
    [Description("Number of nodes per upgrade state (the value of the nvidia.com/ofed-driver-upgrade-state label).")]
    public Dictionary<string, int>? NodeCountsByState { get; set; }

    [JsonPropertyName("blockedNodes")]
    [Description("Nodes whose upgrade cannot proceed, with the reason.")]
    public List<UpgradeNodeProblem>? BlockedNodes { get; set; }

    [JsonPropertyName("failedNodes")]
    [Description("Nodes whose upgrade failed, with the reason.")]
    public List<UpgradeNodeProblem>? FailedNodes { get; set; }
}
