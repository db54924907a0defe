using System.ComponentModel;
using System.Text.Json.Serialization;

namespace NetworkOperator.Api.Cni;

public sealed class NetworkAttachmentDefinitionSpec
{
    [JsonPropertyName("config")]
    [Description("NetworkAttachmentDefinition config is a JSON-formatted CNI configuration.")]
    public string? Config { get; set; }
}
