using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Api.Components;

/// <summary>
/// Every component, in sync order: the order states run in and the order of <c>appliedStates</c>. A component a
/// NicNodePolicy can carry is listed in <see cref="NodePolicy"/> too, which is what makes it per-policy.
/// </summary>
public static class ComponentCatalog
{
    public static ComponentDescriptor MultusCni { get; } = ClusterOnly(StateNames.MultusCni, "multus", "spec.secondaryNetwork.multus",
        s => s.SecondaryNetwork?.Multus, ConditionTypes.MultusCniReady, ["kube-multus", "install-multus-binary"], ComponentChecks.Multus,
        cniBinaries: ["multus", "multus-shim"]);

    public static ComponentDescriptor ContainerNetworkingPlugins { get; } = ClusterOnly(StateNames.ContainerNetworkingPlugins, "cniPlugins",
        "spec.secondaryNetwork.cniPlugins", s => s.SecondaryNetwork?.CniPlugins, ConditionTypes.CniPluginsReady, ["cni-plugins"],
        cniBinaries:
        [
            "bandwidth", "bridge", "dhcp", "dummy", "firewall", "host-device", "host-local", "ipvlan", "loopback", "macvlan", "portmap",
            "ptp", "sbr", "static", "tap", "tuning", "vlan", "vrf",
        ]);

    public static ComponentDescriptor IPoIBCni { get; } = ClusterOnly(StateNames.IPoIBCni, "ipoib", "spec.secondaryNetwork.ipoib",
        s => s.SecondaryNetwork?.Ipoib, ConditionTypes.IPoIBCniReady, ["ipoib-cni"], cniBinaries: ["ipoib"]);

    public static ComponentDescriptor WhereaboutsCni { get; } = ClusterOnly(StateNames.WhereaboutsCni, "ipamPlugin", "spec.secondaryNetwork.ipamPlugin",
        s => s.SecondaryNetwork?.IpamPlugin, ConditionTypes.WhereaboutsCniReady, ["whereabouts", "whereabouts-node-slice-controller"],
        cniBinaries: ["whereabouts"]);

    public static ComponentDescriptor Ofed { get; } = new()
    {
        StateName = StateNames.Ofed,
        Section = "ofedDriver",
        SectionPath = "spec.ofedDriver",
        SectionOf = s => s.OfedDriver,
        ConditionType = ConditionTypes.OfedDriverReady,
        Containers = ["mofed-container", "openshift-driver-toolkit-ctr"],
        Images = [new("spec.ofedDriver", s => s.OfedDriver, VersionRequired: false)],
        Check = ComponentChecks.OfedDriver,
    };

    public static ComponentDescriptor SriovDevicePlugin { get; } = NodeGroupComponent(StateNames.SriovDevicePlugin, "sriovDevicePlugin",
        s => s.SriovDevicePlugin, ConditionTypes.SriovDevicePluginReady, ["kube-sriovdp"], ComponentChecks.SriovDevicePlugin);

    public static ComponentDescriptor RdmaDevicePlugin { get; } = NodeGroupComponent(StateNames.RdmaDevicePlugin, "rdmaSharedDevicePlugin",
        s => s.RdmaSharedDevicePlugin, ConditionTypes.RdmaSharedDevicePluginReady, ["rdma-shared-dp"], ComponentChecks.RdmaSharedDevicePlugin);

    public static ComponentDescriptor IBKubernetes { get; } = ClusterOnly(StateNames.IBKubernetes, "ibKubernetes", "spec.ibKubernetes",
        s => s.IBKubernetes, ConditionTypes.IBKubernetesReady, ["ib-kubernetes"], ComponentChecks.IBKubernetes);

    public static ComponentDescriptor NvIpamCni { get; } = ClusterOnly(StateNames.NvIpamCni, "nvIpam", "spec.nvIpam",
        s => s.NvIpam, ConditionTypes.NvIpamReady, ["nv-ipam-node", "nv-ipam-controller"], cniBinaries: ["nv-ipam"]);

    public static ComponentDescriptor NicFeatureDiscovery { get; } = ClusterOnly(StateNames.NicFeatureDiscovery, "nicFeatureDiscovery",
        "spec.nicFeatureDiscovery", s => s.NicFeatureDiscovery, ConditionTypes.NicFeatureDiscoveryReady, ["nic-feature-discovery"]);

    public static ComponentDescriptor DocaTelemetryService { get; } = ClusterOnly(StateNames.DocaTelemetryService, "docaTelemetryService",
        "spec.docaTelemetryService", s => s.DocaTelemetryService, ConditionTypes.DocaTelemetryServiceReady, ["doca-telemetry-service"],
        ComponentChecks.DocaTelemetryService, waitsForDriver: true);

    public static ComponentDescriptor NicConfigurationOperator { get; } = new()
    {
        StateName = StateNames.NicConfigurationOperator,
        Section = "nicConfigurationOperator",
        SectionPath = "spec.nicConfigurationOperator",
        SectionOf = s => Cluster(s)?.NicConfigurationOperator,
        ConditionType = ConditionTypes.NicConfigurationOperatorReady,
        Containers = ["nic-configuration-operator", "nic-configuration-daemon"],
        Images =
        [
            new("spec.nicConfigurationOperator.operator", s => Cluster(s)?.NicConfigurationOperator?.Operator),
            new("spec.nicConfigurationOperator.configurationDaemon", s => Cluster(s)?.NicConfigurationOperator?.ConfigurationDaemon),
        ],
        Check = ComponentChecks.NicConfigurationOperator,
        WaitsForDriver = true,
    };

    public static ComponentDescriptor SpectrumXOperator { get; } = new()
    {
        StateName = StateNames.SpectrumXOperator,
        Section = "spectrumXOperator",
        SectionPath = "spec.spectrumXOperator",
        SectionOf = s => Cluster(s)?.SpectrumXOperator,
        ConditionType = ConditionTypes.SpectrumXOperatorReady,
        Containers = ["spectrum-x-flowcontroller"],
        Images =
        [
            new("spec.spectrumXOperator", s => Cluster(s)?.SpectrumXOperator),
            new("spec.spectrumXOperator.xPlane", s => Cluster(s)?.SpectrumXOperator?.XPlane, HasContainers: false),
        ],
    };

    /// <summary>The NicClusterPolicy's components in sync order.</summary>
    public static IReadOnlyList<ComponentDescriptor> ClusterPolicy { get; } =
    [
        MultusCni, ContainerNetworkingPlugins, IPoIBCni, WhereaboutsCni, Ofed, SriovDevicePlugin, RdmaDevicePlugin,
        IBKubernetes, NvIpamCni, NicFeatureDiscovery, DocaTelemetryService, NicConfigurationOperator, SpectrumXOperator,
    ];

    /// <summary>The components a NicNodePolicy can carry, in its sync order; each section lives in one policy only.</summary>
    public static IReadOnlyList<ComponentDescriptor> NodePolicy { get; } = [Ofed, RdmaDevicePlugin, SriovDevicePlugin];

    /// <summary>The component that installs a CNI binary, or null for a binary no component ships.</summary>
    public static ComponentDescriptor? InstallingCniBinary(string binary) => ClusterPolicy.FirstOrDefault(c => c.CniBinaries.Contains(binary));

    /// <summary>The descriptor of a state name, or null for a state that is no component (network states).</summary>
    public static ComponentDescriptor? Find(string stateName) => ClusterPolicy.FirstOrDefault(c => c.StateName == stateName);

    /// <summary>The per-policy sections a spec defines, in NicNodePolicy sync order; each may be defined in one policy only.</summary>
    public static IReadOnlyList<string> DefinedPerPolicySections(INicPolicySpec spec) =>
        [.. NodePolicy.Where(c => c.IsConfigured(spec)).Select(c => c.Section)];

    /// <summary>
    /// The <c>ds-owner</c> value of a per-policy component's objects: the NicClusterPolicy's are told apart from each
    /// NicNodePolicy's by it. Whether a component carries the label at all is <see cref="ComponentDescriptor.DsOwner"/>.
    /// </summary>
    public static string PerPolicyDsOwner(string policyKind, string policyName) =>
        policyKind == NicNodePolicy.KubeKind ? Labels.DsOwnerForNodePolicy(policyName) : Labels.DsOwnerClusterPolicy;

    private static NicClusterPolicySpec? Cluster(INicPolicySpec spec) => spec as NicClusterPolicySpec;

    private static ComponentDescriptor ClusterOnly(string state, string section, string path, Func<NicClusterPolicySpec, ImageSpec?> of,
        string condition, IReadOnlyList<string> containers, Action<INicPolicySpec, ValidationCollector>? check = null,
        IReadOnlyList<string>? cniBinaries = null, bool waitsForDriver = false) => new()
    {
        StateName = state,
        Section = section,
        SectionPath = path,
        SectionOf = s => Cluster(s) is { } cluster ? of(cluster) : null,
        ConditionType = condition,
        Containers = containers,
        CniBinaries = cniBinaries ?? [],
        Images = [new(path, s => Cluster(s) is { } cluster ? of(cluster) : null)],
        Check = check,
        WaitsForDriver = waitsForDriver,
    };

    private static ComponentDescriptor NodeGroupComponent(string state, string section, Func<INicPolicySpec, ImageSpec?> of, string condition,
        IReadOnlyList<string> containers, Action<INicPolicySpec, ValidationCollector> check) => new()
    {
        StateName = state,
        Section = section,
        SectionPath = "spec." + section,
        SectionOf = of,
        ConditionType = condition,
        Containers = containers,
        Images = [new("spec." + section, of)],
        Check = check,
        WaitsForDriver = true,
    };
}
