using System.Text.Json.Nodes;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Networks;

/// <summary>IPoIBNetwork → NAD with an <c>ipoib</c> plugin; <c>master</c> is always present, as upstream emits it.</summary>
public sealed class IPoIBNetworkRenderer : INetworkRenderer<IPoIBNetwork>
{
    public string StateName => StateNames.IPoIBNetwork;

    public RenderResult Render(IPoIBNetwork network, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(network);
        var name = Nad.NameOf(network.Metadata);
        var spec = network.Spec ?? new IPoIBNetworkSpec();
        var plugin = new JsonObject
        {
            ["type"] = "ipoib",
            ["master"] = spec.Master ?? string.Empty,
            ["ipam"] = CniConfig.ParseIpam(spec.Ipam, "spec.ipam"),
        };
        var config = CniConfig.Build(name, plugin, null, "spec.metaPlugins");
        return Nad.Finish(StateName, name, spec.NetworkNamespace, config);
    }
}
