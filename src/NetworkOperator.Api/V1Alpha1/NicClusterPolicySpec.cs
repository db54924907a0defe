using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Which components run cluster-wide; each non-null section enables its state.</summary>
[Description("Desired cluster-wide components. Each section that is set enables its component.")]
public sealed class NicClusterPolicySpec : INicPolicySpec
{
    [JsonPropertyName("global")]
    [Description("Repository, version and pull secrets used by components that leave theirs empty.")]
    public GlobalConfig? Global { get; set; }

    [JsonPropertyName("ofedDriver")]
    [Description("DOCA/MOFED driver container.")]
    public OfedDriverSpec? OfedDriver { get; set; }

    [JsonPropertyName("rdmaSharedDevicePlugin")]
    [Description("RDMA shared device plugin.")]
    public DevicePluginSpec? RdmaSharedDevicePlugin { get; set; }

    [JsonPropertyName("sriovDevicePlugin")]
    [Description("SR-IOV network device plugin.")]
    public DevicePluginSpec? SriovDevicePlugin { get; set; }

    [JsonPropertyName("ibKubernetes")]
    [Description("InfiniBand partition key and GUID management through UFM.")]
    public IBKubernetesSpec? IBKubernetes { get; set; }

    [JsonPropertyName("secondaryNetwork")]
    [Description("Multus, CNI plugins, IPoIB CNI and whereabouts IPAM.")]
    public SecondaryNetworkSpec? SecondaryNetwork { get; set; }

    [JsonPropertyName("nvIpam")]
    [Description("NVIDIA IPAM plugin.")]
    public NvIpamSpec? NvIpam { get; set; }

    [JsonPropertyName("nicFeatureDiscovery")]
    [Description("NIC feature discovery (node labels for NIC capabilities).")]
    public NicFeatureDiscoverySpec? NicFeatureDiscovery { get; set; }

    [JsonPropertyName("docaTelemetryService")]
    [Description("DOCA telemetry service.")]
    public DocaTelemetryServiceSpec? DocaTelemetryService { get; set; }

    [JsonPropertyName("nicConfigurationOperator")]
    [Description("NIC configuration operator and daemon.")]
    public NicConfigurationOperatorSpec? NicConfigurationOperator { get; set; }

    [JsonPropertyName("spectrumXOperator")]
    [Description("Spectrum-X operator.")]
    public SpectrumXOperatorSpec? SpectrumXOperator { get; set; }

    [JsonPropertyName("nodeAffinity")]
    [Description("Node affinity added to the operator's DaemonSets.")]
    public V1NodeAffinity? NodeAffinity { get; set; }

    [JsonPropertyName("tolerations")]
    [Description("Tolerations added to the operator's DaemonSets.")]
    public List<V1Toleration>? Tolerations { get; set; }

    [JsonPropertyName("deploymentNodeAffinity")]
    [Description("Node affinity added to the operator's Deployments (ib-kubernetes, nv-ipam controller, NIC configuration operator).")]
    public V1NodeAffinity? DeploymentNodeAffinity { get; set; }

    [JsonPropertyName("deploymentTolerations")]
    [Description("Tolerations added to the operator's Deployments.")]
    public List<V1Toleration>? DeploymentTolerations { get; set; }
}
