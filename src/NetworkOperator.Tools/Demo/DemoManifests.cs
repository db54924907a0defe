using System.Text.Json.Nodes;

namespace NetworkOperator.Tools.Demo;

/// <summary>The example NicClusterPolicy and MacvlanNetworks the demo applies (upstream example values).</summary>
internal static class DemoManifests
{
    public const string NetworkName = "example-macvlannetwork";

    /// <summary>The driver version the demo starts with.</summary>
    public const string DriverVersion = "doca3.1.0-25.07-0.9.7.0-0";

    /// <summary>The version <c>demo --upgrade</c> moves the driver to.</summary>
    public const string UpgradedDriverVersion = "doca3.2.0-25.10-1.2.8.0-1";

    /// <summary>The example policy; its driver upgrades automatically, <paramref name="maxParallelUpgrades"/> nodes at a time.</summary>
    public static JsonObject Policy(bool allComponents, int maxParallelUpgrades = 1)
    {
        var spec = new JsonObject
        {
            ["ofedDriver"] = With(Image("doca-driver", "nvcr.io/nvidia/mellanox", DriverVersion), "upgradePolicy", new JsonObject
            {
                ["autoUpgrade"] = true,
                ["maxParallelUpgrades"] = maxParallelUpgrades,
                ["drain"] = new JsonObject { ["enable"] = true, ["force"] = false, ["deleteEmptyDir"] = false, ["timeoutSeconds"] = 300 },
            }),
            ["rdmaSharedDevicePlugin"] = With(Image("k8s-rdma-shared-dev-plugin", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
                "config", """{"configList":[{"resourceName":"rdma_shared_device_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}"""),
            ["secondaryNetwork"] = new JsonObject
            {
                ["multus"] = Image("multus-cni", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
                ["cniPlugins"] = Image("plugins", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
                // The sample networks' IPAM: without it the simulated nodes, like real ones, cannot attach the sample pod.
                ["ipamPlugin"] = Image("whereabouts", "ghcr.io/k8snetworkplumbingwg", "v0.9.0"),
            },
            ["nvIpam"] = With(Image("nvidia-k8s-ipam", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"), "enableWebhook", false),
        };
        if (allComponents)
        {
            spec["sriovDevicePlugin"] = With(Image("sriov-network-device-plugin", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
                "config", """{"resourceList":[{"resourcePrefix":"nvidia.com","resourceName":"hostdev","selectors":{"vendors":["15b3"],"isRdma":true}}]}""");
            spec["ibKubernetes"] = With(With(Image("ib-kubernetes", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
                "pKeyGUIDPoolRangeStart", "02:00:00:00:00:00:00:00"), "pKeyGUIDPoolRangeEnd", "02:FF:FF:FF:FF:FF:FF:FF");
            ((JsonObject)spec["ibKubernetes"]!)["ufmSecret"] = "ufm-secret";
            ((JsonObject)spec["secondaryNetwork"]!)["ipoib"] = Image("ipoib-cni", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0");
            spec["nicFeatureDiscovery"] = Image("nic-feature-discovery", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0");
            spec["docaTelemetryService"] = Image("doca_telemetry", "nvcr.io/nvidia/doca", "1.21.4-doca3.0.0-host");
            spec["nicConfigurationOperator"] = new JsonObject
            {
                ["operator"] = Image("nic-configuration-operator", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
                ["configurationDaemon"] = Image("nic-configuration-operator-daemon", "nvcr.io/nvidia/mellanox", "network-operator-v25.7.0"),
            };
        }

        return new JsonObject
        {
            ["apiVersion"] = "mellanox.com/v1alpha1",
            ["kind"] = "NicClusterPolicy",
            ["metadata"] = new JsonObject { ["name"] = "nic-cluster-policy" },
            ["spec"] = spec,
        };
    }

    public static JsonObject Macvlan(string name, int index) => new()
    {
        ["apiVersion"] = "mellanox.com/v1alpha1",
        ["kind"] = "MacvlanNetwork",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["networkNamespace"] = "default",
            ["master"] = "ens2f0",
            ["mode"] = "bridge",
            ["mtu"] = 1500,
            ["ipam"] = $$"""{"type":"whereabouts","range":"10.{{100 + (index / 250)}}.{{index % 250}}.0/24"}""",
        },
    };

    private static JsonObject Image(string image, string repository, string version) =>
        new() { ["image"] = image, ["repository"] = repository, ["version"] = version };

    private static JsonObject With(JsonObject obj, string key, JsonNode? value)
    {
        obj[key] = value;
        return obj;
    }
}
