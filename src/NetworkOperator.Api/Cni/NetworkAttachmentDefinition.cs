using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Api.Cni;

/// <summary>The Network Plumbing Working Group's NetworkAttachmentDefinition (namespaced), which Multus reads.</summary>
[Description("A network attachment in the Network Plumbing Working Group format: the CNI configuration Multus uses to add an interface to pods that request it.")]
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeVersion, Kind = KubeKind, PluralName = KubePlural)]
[EntityScope(EntityScope.Namespaced)]
public sealed class NetworkAttachmentDefinition : IKubernetesObject<V1ObjectMeta>, ISpec<NetworkAttachmentDefinitionSpec>
{
    public const string KubeGroup = "k8s.cni.cncf.io";
    public const string KubeVersion = "v1";
    public const string KubeApiVersion = KubeGroup + "/" + KubeVersion;
    public const string KubeKind = "NetworkAttachmentDefinition";
    public const string KubePlural = "network-attachment-definitions";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public NetworkAttachmentDefinitionSpec Spec { get; set; } = new();
}
