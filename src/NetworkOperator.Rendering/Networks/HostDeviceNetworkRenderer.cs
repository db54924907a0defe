using System.Text.Json.Nodes;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Networks;

/// <summary>HostDeviceNetwork → NAD with a <c>host-device</c> plugin and the device-plugin resource annotation.</summary>
public sealed class HostDeviceNetworkRenderer : INetworkRenderer<HostDeviceNetwork>
{
    public const string ResourcePrefix = "nvidia.com/";

    public string StateName => StateNames.HostDeviceNetwork;

    /// <summary><c>nvidia.com/</c> is prepended unless the name already starts with it.</summary>
    public static string ResourceName(string? resourceName) =>
        (resourceName ?? string.Empty).StartsWith(ResourcePrefix, StringComparison.Ordinal) ? resourceName! : ResourcePrefix + resourceName;

    public RenderResult Render(HostDeviceNetwork network, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(network);
        var name = Nad.NameOf(network.Metadata);
        var spec = network.Spec ?? new HostDeviceNetworkSpec();
        if (string.IsNullOrEmpty(spec.ResourceName))
        {
            throw new RenderException("is required: the device-plugin resource that provides the host devices", "spec.resourceName");
        }

        var plugin = new JsonObject { ["type"] = "host-device", ["ipam"] = CniConfig.ParseIpam(spec.Ipam, "spec.ipam") };
        var config = CniConfig.Build(name, plugin, spec.MetaPlugins, "spec.metaPlugins");
        return Nad.Finish(StateName, name, spec.NetworkNamespace, config, K8s.Map((Annotations.NadResourceName, ResourceName(spec.ResourceName))));
    }
}
