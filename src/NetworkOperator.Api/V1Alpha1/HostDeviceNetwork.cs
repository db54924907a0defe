using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>A host-device secondary network (a device-plugin resource moved into the pod), published as a NetworkAttachmentDefinition.</summary>
[Description("HostDeviceNetwork describes a host-device secondary network, which moves a device-plugin resource into the pod; the operator publishes it as a NetworkAttachmentDefinition.")]
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[EntityScope(EntityScope.Cluster)]
public sealed class HostDeviceNetwork : IKubernetesObject<V1ObjectMeta>, ISpec<HostDeviceNetworkSpec>, IStatus<HostDeviceNetworkStatus?>
{
    public const string KubeGroup = ApiGroup.Group;
    public const string KubeVersion = ApiGroup.Version;
    public const string KubeApiVersion = ApiGroup.GroupVersion;
    public const string KubeKind = "HostDeviceNetwork";
    public const string KubePlural = "hostdevicenetworks";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public HostDeviceNetworkSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public HostDeviceNetworkStatus? Status { get; set; }
}
