using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The sections NicClusterPolicy and NicNodePolicy share, so per-node-group states can serve both kinds.</summary>
public interface INicPolicySpec
{
    OfedDriverSpec? OfedDriver { get; set; }

    DevicePluginSpec? RdmaSharedDevicePlugin { get; set; }

    DevicePluginSpec? SriovDevicePlugin { get; set; }

    List<V1Toleration>? Tolerations { get; set; }
}
