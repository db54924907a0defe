using NetworkOperator.Api.Cni;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api;

/// <summary>The kinds defined by this project, in CRD catalog order.</summary>
public static class ResourceKinds
{
    public static readonly ResourceKind NicClusterPolicy = new(
        ApiGroup.Group, ApiGroup.Version, V1Alpha1.NicClusterPolicy.KubeKind, V1Alpha1.NicClusterPolicy.KubePlural,
        "nicclusterpolicy", Namespaced: false, ["ncp"], typeof(NicClusterPolicy));

    public static readonly ResourceKind NicNodePolicy = new(
        ApiGroup.Group, ApiGroup.Version, V1Alpha1.NicNodePolicy.KubeKind, V1Alpha1.NicNodePolicy.KubePlural,
        "nicnodepolicy", Namespaced: false, ["nicnode", "nnp"], typeof(NicNodePolicy));

    public static readonly ResourceKind MacvlanNetwork = new(
        ApiGroup.Group, ApiGroup.Version, V1Alpha1.MacvlanNetwork.KubeKind, V1Alpha1.MacvlanNetwork.KubePlural,
        "macvlannetwork", Namespaced: false, [], typeof(MacvlanNetwork));

    public static readonly ResourceKind HostDeviceNetwork = new(
        ApiGroup.Group, ApiGroup.Version, V1Alpha1.HostDeviceNetwork.KubeKind, V1Alpha1.HostDeviceNetwork.KubePlural,
        "hostdevicenetwork", Namespaced: false, [], typeof(HostDeviceNetwork));

    public static readonly ResourceKind IPoIBNetwork = new(
        ApiGroup.Group, ApiGroup.Version, V1Alpha1.IPoIBNetwork.KubeKind, V1Alpha1.IPoIBNetwork.KubePlural,
        "ipoibnetwork", Namespaced: false, [], typeof(IPoIBNetwork));

    public static readonly ResourceKind NetworkAttachmentDefinition = new(
        Cni.NetworkAttachmentDefinition.KubeGroup, Cni.NetworkAttachmentDefinition.KubeVersion,
        Cni.NetworkAttachmentDefinition.KubeKind, Cni.NetworkAttachmentDefinition.KubePlural,
        "network-attachment-definition", Namespaced: true, ["nad", "net-attach-def"], typeof(NetworkAttachmentDefinition));

    /// <summary>The five mellanox.com kinds.</summary>
    public static readonly IReadOnlyList<ResourceKind> Mellanox = [NicClusterPolicy, NicNodePolicy, MacvlanNetwork, HostDeviceNetwork, IPoIBNetwork];

    /// <summary>Every kind that has a CRD in this project.</summary>
    public static readonly IReadOnlyList<ResourceKind> All = [.. Mellanox, NetworkAttachmentDefinition];

    public static ResourceKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    public static ResourceKind? Find(Type clrType) => All.FirstOrDefault(k => k.ClrType == clrType);
}
