using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Driver and device-plugin settings for the group of nodes its node selector picks.</summary>
[Description("NicNodePolicy sets the driver and device plugins for the nodes its node selector picks, for clusters whose node groups need different settings.")]
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[EntityScope(EntityScope.Cluster)]
public sealed class NicNodePolicy : IKubernetesObject<V1ObjectMeta>, ISpec<NicNodePolicySpec>, IStatus<NicPolicyStatus?>
{
    public const string KubeGroup = ApiGroup.Group;
    public const string KubeVersion = ApiGroup.Version;
    public const string KubeApiVersion = ApiGroup.GroupVersion;
    public const string KubeKind = "NicNodePolicy";
    public const string KubePlural = "nicnodepolicies";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public NicNodePolicySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public NicPolicyStatus? Status { get; set; }
}
