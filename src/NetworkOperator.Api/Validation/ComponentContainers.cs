namespace NetworkOperator.Api.Validation;

/// <summary>
/// The container names each component's rendered pods have, i.e. the names a <c>containerResources</c> entry may
/// target (upstream finds them by rendering with dummy data; the list is fixed by the manifests, so it is a table here).
/// Keyed by the component's JSON field name.
/// </summary>
public static class ComponentContainers
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByComponent = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["ofedDriver"] = ["mofed-container", "openshift-driver-toolkit-ctr"],
        ["rdmaSharedDevicePlugin"] = ["rdma-shared-dp"],
        ["sriovDevicePlugin"] = ["kube-sriovdp"],
        ["ibKubernetes"] = ["ib-kubernetes"],
        ["nvIpam"] = ["nv-ipam-node", "nv-ipam-controller"],
        ["nicFeatureDiscovery"] = ["nic-feature-discovery"],
        ["cniPlugins"] = ["cni-plugins"],
        ["ipoib"] = ["ipoib-cni"],
        ["multus"] = ["kube-multus", "install-multus-binary"],
        ["ipamPlugin"] = ["whereabouts", "whereabouts-node-slice-controller"],
        ["docaTelemetryService"] = ["doca-telemetry-service"],
        ["nicConfigurationOperator"] = ["nic-configuration-operator", "nic-configuration-daemon"],
        ["spectrumXOperator"] = ["spectrum-x-flowcontroller"],
    };
}
