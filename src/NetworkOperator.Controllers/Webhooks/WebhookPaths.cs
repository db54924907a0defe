using NetworkOperator.Api;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>
/// The webhook paths and names (kubebuilder convention), which the Helm chart registers: upstream's three, plus
/// MacvlanNetwork and IPoIBNetwork, which upstream does not validate at admission.
/// </summary>
public static class WebhookPaths
{
    public const string HostDeviceNetwork = "/validate-mellanox-com-v1alpha1-hostdevicenetwork";
    public const string NicClusterPolicy = "/validate-mellanox-com-v1alpha1-nicclusterpolicy";
    public const string NicNodePolicy = "/validate-mellanox-com-v1alpha1-nicnodepolicy";
    public const string MacvlanNetwork = "/validate-mellanox-com-v1alpha1-macvlannetwork";
    public const string IPoIBNetwork = "/validate-mellanox-com-v1alpha1-ipoibnetwork";

    /// <summary>Path → the kind it validates.</summary>
    public static IReadOnlyDictionary<string, ResourceKind> Kinds { get; } = new Dictionary<string, ResourceKind>(StringComparer.Ordinal)
    {
        [HostDeviceNetwork] = ResourceKinds.HostDeviceNetwork,
        [NicClusterPolicy] = ResourceKinds.NicClusterPolicy,
        [NicNodePolicy] = ResourceKinds.NicNodePolicy,
        [MacvlanNetwork] = ResourceKinds.MacvlanNetwork,
        [IPoIBNetwork] = ResourceKinds.IPoIBNetwork,
    };

    /// <summary>Webhook name (in the ValidatingWebhookConfiguration) → path.</summary>
    public static IReadOnlyDictionary<string, string> ByWebhookName { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["vhostdevicenetwork.kb.io"] = HostDeviceNetwork,
        ["vnicclusterpolicy.kb.io"] = NicClusterPolicy,
        ["vnicnodepolicy.kb.io"] = NicNodePolicy,
        ["vmacvlannetwork.kb.io"] = MacvlanNetwork,
        ["vipoibnetwork.kb.io"] = IPoIBNetwork,
    };
}
