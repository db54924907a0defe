using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Outcome of one state in the last reconcile.</summary>
public sealed class AppliedState
{
    [JsonPropertyName("name")]
    [Required]
    [Description("Name of the state, for example state-OFED.")]
    public string? Name { get; set; }

    [JsonPropertyName("state")]
    [Required]
    [AllowedValues(SyncStates.Ready, SyncStates.NotReady, SyncStates.Ignore, SyncStates.Error)]
    [Description("Result of the state.")]
    public string? State { get; set; }

    [JsonPropertyName("message")]
    [Description("Error text of the state, empty when there is none.")]
    public string? Message { get; set; }
}
