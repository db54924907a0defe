using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>A macvlan secondary network, published as a NetworkAttachmentDefinition.</summary>
[Description("MacvlanNetwork describes a macvlan secondary network; the operator publishes it as a NetworkAttachmentDefinition.")]
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[EntityScope(EntityScope.Cluster)]
public sealed class MacvlanNetwork : IKubernetesObject<V1ObjectMeta>, ISpec<MacvlanNetworkSpec>, IStatus<MacvlanNetworkStatus?>
{
    public const string KubeGroup = ApiGroup.Group;
    public const string KubeVersion = ApiGroup.Version;
    public const string KubeApiVersion = ApiGroup.GroupVersion;
    public const string KubeKind = "MacvlanNetwork";
    public const string KubePlural = "macvlannetworks";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public MacvlanNetworkSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public MacvlanNetworkStatus? Status { get; set; }
}
