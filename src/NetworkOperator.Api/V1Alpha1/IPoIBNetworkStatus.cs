using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

[Description("Observed state of the network.")]
public sealed class IPoIBNetworkStatus : INetworkStatus
{
    [JsonPropertyName("state")]
    [Required]
    [AllowedValues(SyncStates.NotReady, SyncStates.Ready, SyncStates.Error)]
    [Description("Whether the NetworkAttachmentDefinition is in place.")]
    public string? State { get; set; }

    [JsonPropertyName("ipoibNetworkAttachmentDef")]
    [Description("The generated NetworkAttachmentDefinition.")]
    public string? IpoibNetworkAttachmentDef { get; set; }

    [JsonPropertyName("reason")]
    [Description("Error text when state is error.")]
    public string? Reason { get; set; }

    [JsonPropertyName("conditions")]
    [Description("Ready: whether the NetworkAttachmentDefinition of the observed generation is in place, and why not.")]
    public List<V1Condition>? Conditions { get; set; }
}
