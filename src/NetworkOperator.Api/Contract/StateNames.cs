namespace NetworkOperator.Api.Contract;

/// <summary>
/// State names: the value of the state label on rendered objects and the <c>appliedStates[].name</c> in status.
/// The sync order and every other fact of a component live in its descriptor (<c>Components/ComponentCatalog</c>).
/// </summary>
public static class StateNames
{
    public const string MultusCni = "state-multus-cni";
    public const string ContainerNetworkingPlugins = "state-container-networking-plugins";
    public const string IPoIBCni = "state-ipoib-cni";
    public const string WhereaboutsCni = "state-whereabouts-cni";
    public const string Ofed = "state-OFED";
    public const string SriovDevicePlugin = "state-SRIOV-device-plugin";
    public const string RdmaDevicePlugin = "state-RDMA-device-plugin";
    public const string IBKubernetes = "state-ib-kubernetes";
    public const string NvIpamCni = "state-nv-ipam-cni";
    public const string NicFeatureDiscovery = "state-nic-feature-discovery";
    public const string DocaTelemetryService = "state-doca-telemetry-service";
    public const string NicConfigurationOperator = "state-nic-configuration-operator";
    public const string SpectrumXOperator = "state-spectrum-x-operator";

    public const string MacvlanNetwork = "state-Macvlan-Network";
    public const string HostDeviceNetwork = "state-host-device-network";
    public const string IPoIBNetwork = "state-IPoIB-Network";
}
