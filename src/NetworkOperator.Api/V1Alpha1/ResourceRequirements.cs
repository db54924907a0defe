using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>A resource override for one named container of a component (an item of <c>containerResources</c>).</summary>
public sealed class ResourceRequirements
{
    [JsonPropertyName("name")]
    [Required]
    [Description("Name of the container the requirements apply to.")]
    public string? Name { get; set; }

    [JsonPropertyName("limits")]
    [Description("Maximum amount of compute resources allowed.")]
    public Dictionary<string, ResourceQuantity>? Limits { get; set; }

    [JsonPropertyName("requests")]
    [Description("Minimum amount of compute resources required.")]
    public Dictionary<string, ResourceQuantity>? Requests { get; set; }
}
