using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The cluster-wide policy; the operator acts only on the instance named nic-cluster-policy.</summary>
[Description("NicClusterPolicy is the cluster-wide policy of the NVIDIA Network Operator: which networking components to deploy and how. Only the instance named nic-cluster-policy is acted on.")]
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[EntityScope(EntityScope.Cluster)]
public sealed class NicClusterPolicy : IKubernetesObject<V1ObjectMeta>, ISpec<NicClusterPolicySpec>, IStatus<NicPolicyStatus?>
{
    public const string KubeGroup = ApiGroup.Group;
    public const string KubeVersion = ApiGroup.Version;
    public const string KubeApiVersion = ApiGroup.GroupVersion;
    public const string KubeKind = "NicClusterPolicy";
    public const string KubePlural = "nicclusterpolicies";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public NicClusterPolicySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public NicPolicyStatus? Status { get; set; }
}
