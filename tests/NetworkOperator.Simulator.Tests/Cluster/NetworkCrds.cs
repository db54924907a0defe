using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>The foreign CRDs the data-plane tests need (NetworkAttachmentDefinition, nv-ipam IPPool), schema-less.</summary>
internal static class NetworkCrds
{
    public static async Task InstallAsync(SimulatedCluster cluster)
    {
        var crdType = cluster.Server.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        await cluster.Server.Resources.CreateAsync(crdType, null, Crd("k8s.cni.cncf.io", "v1", "NetworkAttachmentDefinition", "network-attachment-definitions", "net-attach-def"));
        await cluster.Server.Resources.CreateAsync(crdType, null, Crd("nv-ipam.nvidia.com", "v1alpha1", "IPPool", "ippools", "ippool"));
    }

    public static JsonObject Nad(string name, string config, string ns = "default") => new()
    {
        ["apiVersion"] = "k8s.cni.cncf.io/v1",
        ["kind"] = "NetworkAttachmentDefinition",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["config"] = config },
    };

    private static JsonObject Crd(string group, string version, string kind, string plural, string singular) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["kind"] = kind, ["plural"] = plural, ["singular"] = singular, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = version,
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
            }),
        },
    };
}
