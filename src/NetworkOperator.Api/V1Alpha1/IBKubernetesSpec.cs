using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>ib-kubernetes, which assigns InfiniBand partition keys and GUIDs through UFM.</summary>
public sealed class IBKubernetesSpec : ImageSpec
{
    [JsonPropertyName("periodicUpdateSeconds")]
    [DefaultValue(5)]
    [Minimum(0)]
    [Description("Seconds between updates of the subnet manager.")]
    public int? PeriodicUpdateSeconds { get; set; }

    [JsonPropertyName("pKeyGUIDPoolRangeStart")]
    [Required]
    [Description("First GUID of the pool handed to pods, as 8 colon-separated hex bytes.")]
    public string? PKeyGuidPoolRangeStart { get; set; }

    [JsonPropertyName("pKeyGUIDPoolRangeEnd")]
    [Required]
    [Description("Last GUID of the pool handed to pods, as 8 colon-separated hex bytes.")]
    public string? PKeyGuidPoolRangeEnd { get; set; }

    [JsonPropertyName("ufmSecret")]
    [Required]
    [Description("Name of the Secret with the UFM address and credentials.")]
    public string? UfmSecret { get; set; }
}
