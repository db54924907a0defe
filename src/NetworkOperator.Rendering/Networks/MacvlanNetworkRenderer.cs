using System.Text.Json.Nodes;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Networks;

/// <summary>MacvlanNetwork → NAD with a <c>macvlan</c> plugin (a conflist when <c>metaPlugins</c> is set).</summary>
public sealed class MacvlanNetworkRenderer : INetworkRenderer<MacvlanNetwork>
{
    public string StateName => StateNames.MacvlanNetwork;

    public RenderResult Render(MacvlanNetwork network, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(network);
        var name = Nad.NameOf(network.Metadata);
        var spec = network.Spec ?? new MacvlanNetworkSpec();
        var plugin = new JsonObject { ["type"] = "macvlan" };
        if (!string.IsNullOrEmpty(spec.Master))
        {
            plugin["master"] = spec.Master;
        }

        if (!string.IsNullOrEmpty(spec.Mode))
        {
            plugin["mode"] = spec.Mode;
        }

        if (spec.Mtu is > 0)
        {
            plugin["mtu"] = spec.Mtu.Value;
        }

        plugin["ipam"] = CniConfig.ParseIpam(spec.Ipam, "spec.ipam");
        var config = CniConfig.Build(name, plugin, spec.MetaPlugins, "spec.metaPlugins");
        return Nad.Finish(StateName, name, spec.NetworkNamespace, config);
    }
}
