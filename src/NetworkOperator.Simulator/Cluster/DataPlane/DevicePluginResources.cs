using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>
/// What a Ready device-plugin pod advertises on its node, read from the ConfigMap its volumes mount: the RDMA shared
/// device plugin gives <c>&lt;resourcePrefix|rdma&gt;/&lt;resourceName&gt;: rdmaHcaMax</c> per configList item, the SR-IOV
/// device plugin <c>&lt;resourcePrefix|nvidia.com&gt;/&lt;resourceName&gt;: N</c> per resourceList item (N simulated).
/// </summary>
public static class DevicePluginResources
{
    public enum PluginKind
    {
        None,
        RdmaShared,
        Sriov,
    }

    public static PluginKind KindOf(V1Pod pod)
    {
        var app = pod.Metadata.Labels is { } labels && labels.TryGetValue("app", out var a) ? a : null;
        foreach (var container in pod.Spec.Containers ?? [])
        {
            if (container.Name == "rdma-shared-dp" || container.Image?.Contains("rdma-shared-dp", StringComparison.Ordinal) == true ||
                container.Image?.Contains("k8s-rdma-shared-dev-plugin", StringComparison.Ordinal) == true)
            {
                return PluginKind.RdmaShared;
            }

            if (container.Name == "kube-sriovdp" || container.Image?.Contains("sriov-network-device-plugin", StringComparison.Ordinal) == true)
            {
                return PluginKind.Sriov;
            }
        }

        if (app?.StartsWith("rdma-shared-dp", StringComparison.Ordinal) == true)
        {
            return PluginKind.RdmaShared;
        }

        return app == "sriovdp" ? PluginKind.Sriov : PluginKind.None;
    }

    /// <summary>The resources the plugin pod advertises; empty when its ConfigMap is missing or unusable.</summary>
    public static Dictionary<string, long> For(V1Pod pod, Func<string, V1ConfigMap?> configMapByName, int sriovDeviceCount)
    {
        var kind = KindOf(pod);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (kind == PluginKind.None)
        {
            return result;
        }

        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (volume.ConfigMap?.Name is not { } name || configMapByName(name) is not { } configMap)
            {
                continue;
            }

            var text = configMap.Data is { } data && data.TryGetValue("config.json", out var t) ? t : null;
            if (text is null)
            {
                continue;
            }

            JsonObject? config;
            try
            {
                config = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                continue;
            }

            if (kind == PluginKind.RdmaShared && config?["configList"] is JsonArray list)
            {
                foreach (var item in list.OfType<JsonObject>())
                {
                    if (item["resourceName"]?.ToString() is { Length: > 0 } resource && Number(item["rdmaHcaMax"]) is { } max)
                    {
                        result[$"{Prefix(item, "rdma")}/{resource}"] = max;
                    }
                }
            }
            else if (kind == PluginKind.Sriov && config?["resourceList"] is JsonArray resources)
            {
                foreach (var item in resources.OfType<JsonObject>())
                {
                    if (item["resourceName"]?.ToString() is { Length: > 0 } resource)
                    {
                        result[$"{Prefix(item, "nvidia.com")}/{resource}"] = sriovDeviceCount;
                    }
                }
            }

            if (result.Count > 0)
            {
                break;
            }
        }

        return result;
    }

    private static string Prefix(JsonObject item, string fallback) =>
        item["resourcePrefix"]?.ToString() is { Length: > 0 } prefix ? prefix : fallback;

    private static long? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };
}
