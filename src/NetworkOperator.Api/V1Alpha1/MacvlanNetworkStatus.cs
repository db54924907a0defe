using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

[Description("Observed state of the network.")]
public sealed class MacvlanNetworkStatus
{
    [JsonPropertyName("state")]
    [Required]
    [AllowedValues(SyncStates.NotReady, SyncStates.Ready, SyncStates.Error)]
    [Description("Whether the NetworkAttachmentDefinition is in place.")]
    public string? State { get; set; }

    [JsonPropertyName("macvlanNetworkAttachmentDef")]
    [Description("The generated NetworkAttachmentDefinition.")]
    public string? MacvlanNetworkAttachmentDef { get; set; }

    [JsonPropertyName("reason")]
    [Description("Error text when state is error.")]
    public string? Reason { get; set; }
}
