using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>
/// Where a component's container image comes from. Component specs derive from it because upstream embeds these fields
/// inline (no <c>image:</c> sub-object), so the JSON of e.g. <c>ofedDriver</c> carries <c>image</c> next to <c>env</c>.
/// </summary>
public class ImageSpec
{
    [JsonPropertyName("image")]
    [JsonPropertyOrder(-10)]
    [Required]
    [RegularExpression(@"[a-zA-Z0-9\-]+")]
    [Description("Name of the container image, without repository and tag.")]
    public string? Image { get; set; }

    [JsonPropertyName("repository")]
    [JsonPropertyOrder(-9)]
    [RegularExpression(@"[a-zA-Z0-9\.\-\/]+")]
    [Description("Image repository (registry and path). When empty, spec.global.repository is used.")]
    public string? Repository { get; set; }

    [JsonPropertyName("version")]
    [JsonPropertyOrder(-8)]
    [Description("Image tag, or a digest starting with 'sha256:'. When empty, spec.global.version is used.")]
    public string? Version { get; set; }

    [JsonPropertyName("imagePullSecrets")]
    [JsonPropertyOrder(-7)]
    [DefaultEmptyList]
    [Description("Names of Secrets in the operator namespace used to pull the image. When empty, spec.global.imagePullSecrets is used.")]
    public List<string>? ImagePullSecrets { get; set; }

    [JsonPropertyName("containerResources")]
    [JsonPropertyOrder(-6)]
    [Description("Resource requests and limits per container of the component's pods, matched by container name.")]
    public List<ResourceRequirements>? ContainerResources { get; set; }
}
