using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>An IP-over-InfiniBand secondary network, published as a NetworkAttachmentDefinition.</summary>
[Description("IPoIBNetwork describes an IP-over-InfiniBand secondary network; the operator publishes it as a NetworkAttachmentDefinition.")]
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[EntityScope(EntityScope.Cluster)]
public sealed class IPoIBNetwork : IKubernetesObject<V1ObjectMeta>, ISpec<IPoIBNetworkSpec>, IStatus<IPoIBNetworkStatus?>
{
    public const string KubeGroup = ApiGroup.Group;
    public const string KubeVersion = ApiGroup.Version;
    public const string KubeApiVersion = ApiGroup.GroupVersion;
    public const string KubeKind = "IPoIBNetwork";
    public const string KubePlural = "ipoibnetworks";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public IPoIBNetworkSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public IPoIBNetworkStatus? Status { get; set; }
}
