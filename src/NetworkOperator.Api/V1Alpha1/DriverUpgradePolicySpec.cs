using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>How a new driver version is rolled out over the nodes (<c>ofedDriver.upgradePolicy</c>).</summary>
public sealed class DriverUpgradePolicySpec
{
    [JsonPropertyName("autoUpgrade")]
    [DefaultValue(false)]
    [Description("Global switch for automatic driver upgrades; when false the other settings are ignored.")]
    public bool? AutoUpgrade { get; set; }

    [JsonPropertyName("maxParallelUpgrades")]
    [DefaultValue(1)]
    [Minimum(0)]
    [Description("How many nodes may upgrade at the same time; 0 means no limit.")]
    public int? MaxParallelUpgrades { get; set; }

    /// <summary>Not in upstream's CRD (the upgrade library has it); added here so large clusters can cap unavailability.</summary>
    [JsonPropertyName("maxUnavailable")]
    [Description("How many nodes (a number, or a percentage such as '25%') may be unavailable during the upgrade.")]
    public IntOrString? MaxUnavailable { get; set; }

    [JsonPropertyName("waitForCompletion")]
    [Description("Wait for matching pods to finish before a node is upgraded.")]
    public WaitForCompletionSpec? WaitForCompletion { get; set; }

    [JsonPropertyName("drain")]
    [Description("Node drain settings used before the driver is upgraded.")]
    public DrainSpec? Drain { get; set; }

    [JsonPropertyName("safeLoad")]
    [DefaultValue(false)]
    [Description("Cordon and drain a node before the driver is loaded for the first time. Requires autoUpgrade.")]
    public bool? SafeLoad { get; set; }
}
