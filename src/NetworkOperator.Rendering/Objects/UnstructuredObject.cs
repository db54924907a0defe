using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Rendering.Objects;

/// <summary>
/// An object of a kind KubernetesClient has no model for (cert-manager Issuer/Certificate, NetworkAttachmentDefinition):
/// apiVersion, kind, metadata and a free-form spec.
/// </summary>
public sealed class UnstructuredObject : IKubernetesObject<V1ObjectMeta>
{
    public UnstructuredObject(string apiVersion, string kind, V1ObjectMeta metadata, JsonObject? spec = null)
    {
        ApiVersion = apiVersion;
        Kind = kind;
        Metadata = metadata;
        Spec = spec;
    }

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; }

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }
}
