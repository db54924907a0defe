using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// An object of any kind with its metadata typed and everything else kept verbatim (client-go's unstructured object).
/// The policy states render many kinds (DaemonSets, RBAC, CRDs, cert-manager objects...); holding them in one shape
/// lets the informer factory cache any kind by its <c>ResourceKind</c>, and one applier and one stale-object sweep
/// serve all of them without a model per kind.
/// </summary>
public sealed class KubeObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }

    public JsonElement? Field(string name) =>
        Fields is not null && Fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static KubeObject From(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj as KubeObject ?? KubernetesJson.Deserialize<KubeObject>(KubernetesJson.Serialize(obj));
    }

    public T As<T>()
        where T : class => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(this));

    public KubeObject Clone() => KubernetesJson.Deserialize<KubeObject>(KubernetesJson.Serialize(this));

    public override string ToString() => string.IsNullOrEmpty(Metadata.NamespaceProperty)
        ? $"{Kind}/{Metadata.Name}"
        : $"{Kind}/{Metadata.NamespaceProperty}/{Metadata.Name}";
}
