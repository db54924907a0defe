using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Apply;

/// <summary>Just enough of an object to record an Event about it when the object itself cannot be read into its model.</summary>
public sealed class InvolvedObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
