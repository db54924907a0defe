using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Per-node-group driver and device plugins; a section may be set here or in the NicClusterPolicy, not both.</summary>
[Description("Desired driver and device plugins for the selected nodes.")]
public sealed class NicNodePolicySpec : INicPolicySpec
{
    [JsonPropertyName("ofedDriver")]
    [Description("DOCA/MOFED driver container for the selected nodes.")]
    public OfedDriverSpec? OfedDriver { get; set; }

    [JsonPropertyName("rdmaSharedDevicePlugin")]
    [Description("RDMA shared device plugin for the selected nodes.")]
    public DevicePluginSpec? RdmaSharedDevicePlugin { get; set; }

    [JsonPropertyName("sriovDevicePlugin")]
    [Description("SR-IOV network device plugin for the selected nodes.")]
    public DevicePluginSpec? SriovDevicePlugin { get; set; }

    [JsonPropertyName("nodeSelector")]
    [Description("Labels a node must carry to be governed by this policy; empty selects every node.")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("labels")]
    [Description("Labels for the policy's objects (reserved, currently unused).")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    [Description("Annotations for the policy's objects (reserved, currently unused).")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("tolerations")]
    [Description("Tolerations added to the policy's DaemonSets.")]
    public List<V1Toleration>? Tolerations { get; set; }
}
