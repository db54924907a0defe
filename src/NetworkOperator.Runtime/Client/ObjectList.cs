using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Client;

/// <summary>The list envelope for any kind, so one generic client can list typed and custom resources alike.</summary>
public sealed class ObjectList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];
}
