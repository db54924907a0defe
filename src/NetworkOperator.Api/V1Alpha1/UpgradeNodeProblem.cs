using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>A node whose driver upgrade is stuck or failed.</summary>
public sealed class UpgradeNodeProblem
{
    [JsonPropertyName("name")]
    [Required]
    [Description("Node name.")]
    public string? Name { get; set; }

    [JsonPropertyName("reason")]
    [Description("Why the node is blocked or failed.")]
    public string? Reason { get; set; }
}
