using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.Cni;

[Description("The CNI configuration of the attachment.")]
public sealed class NetworkAttachmentDefinitionSpec
{
    [JsonPropertyName("config")]
    [Description("CNI configuration of the attachment, as a JSON document.")]
    public string? Config { get; set; }
}
