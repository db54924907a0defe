using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>
/// Finds the NetworkAttachmentDefinition an attachment names and the address pool its CNI config's IPAM block uses:
/// whereabouts (<c>range</c>, <c>range_start</c>, <c>range_end</c>, <c>exclude</c>), host-local (<c>subnet</c> or
/// <c>ranges</c>), or nv-ipam (<c>poolName</c> → an <c>nv-ipam.nvidia.com/v1alpha1</c> IPPool in any namespace, its
/// <c>spec.subnet</c> minus gateway and exclusions).
/// </summary>
internal sealed class IpamResolver
{
    private readonly ResourceService _api;

    public IpamResolver(ResourceService api)
    {
        _api = api;
    }

    /// <summary>
    /// The CNI binaries the attachment's NAD needs on the node: every plugin <c>type</c> (of the config or of its
    /// <c>plugins</c> list) and every IPAM <c>type</c>. Empty when the NAD has no inline config or cannot be read
    /// (<see cref="Resolve"/> reports those).
    /// </summary>
    public IReadOnlyList<string> RequiredBinaries(NetworkAttachment attachment)
    {
        var nadType = _api.Registry.Find("k8s.cni.cncf.io", "v1", "network-attachment-definitions");
        var nad = nadType is null ? null : _api.TryGet(nadType, attachment.Namespace, attachment.Name);
        var configText = nad is null ? null : (nad.ToJsonObject()["spec"] as JsonObject)?["config"]?.ToString();
        if (string.IsNullOrWhiteSpace(configText))
        {
            return [];
        }

        JsonObject? config;
        try
        {
            config = JsonNode.Parse(configText) as JsonObject;
        }
        catch (JsonException)
        {
            return [];
        }

        var plugins = config?["plugins"] is JsonArray list ? list.OfType<JsonObject>().ToList() : config is null ? [] : [config];
        var result = new List<string>();
        foreach (var plugin in plugins)
        {
            foreach (var type in new[] { plugin["type"]?.ToString(), (plugin["ipam"] as JsonObject)?["type"]?.ToString() })
            {
                if (!string.IsNullOrEmpty(type) && !result.Contains(type, StringComparer.Ordinal))
                {
                    result.Add(type);
                }
            }
        }

        return result;
    }

    /// <summary>Null pool with null error: the attachment has no IPAM (an L2-only network). An error: the sandbox fails.</summary>
    public (IpamPool? Pool, string? Error) Resolve(NetworkAttachment attachment)
    {
        var nadType = _api.Registry.Find("k8s.cni.cncf.io", "v1", "network-attachment-definitions");
        var nad = nadType is null ? null : _api.TryGet(nadType, attachment.Namespace, attachment.Name);
        if (nad is null)
        {
            return (null, $"cannot find a network-attachment-definition ({attachment.Name}) in namespace ({attachment.Namespace}): " +
                          $"network-attachment-definitions.k8s.cni.cncf.io \"{attachment.Name}\" not found");
        }

        var configText = (nad.ToJsonObject()["spec"] as JsonObject)?["config"]?.ToString();
        if (string.IsNullOrWhiteSpace(configText))
        {
            // A NAD without config names a CNI config file on the node; nothing to allocate from here.
            return (null, null);
        }

        JsonObject? config;
        try
        {
            config = JsonNode.Parse(configText) as JsonObject;
        }
        catch (JsonException e)
        {
            return (null, $"error parsing configuration of {attachment.Namespace}/{attachment.Name}: {e.Message}");
        }

        var ipam = config?["ipam"] as JsonObject ?? (config?["plugins"] as JsonArray)?.OfType<JsonObject>().Select(p => p["ipam"] as JsonObject).FirstOrDefault(i => i is not null);
        if (ipam is null || ipam.Count == 0)
        {
            return (null, null);
        }

        try
        {
            return ipam["type"]?.ToString() switch
            {
                "whereabouts" => (Whereabouts(ipam), null),
                "host-local" => (HostLocal(ipam), null),
                "nv-ipam" => NvIpam(ipam),
                _ => (null, null),
            };
        }
        catch (FormatException e)
        {
            return (null, $"invalid IPAM configuration of {attachment.Namespace}/{attachment.Name}: {e.Message}");
        }
    }

    private static IpamPool? Whereabouts(JsonObject ipam)
    {
        var rangeText = ipam["range"]?.ToString();
        if (rangeText is null)
        {
            return null;
        }

        // whereabouts also accepts "start-end/prefix" in range.
        string? start = ipam["range_start"]?.ToString();
        var cidr = rangeText;
        var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            start = rangeText[..dash];
            cidr = rangeText[(dash + 1)..];
            var slash = cidr.IndexOf('/', StringComparison.Ordinal);
            var end = cidr[..slash];
            cidr = start + cidr[slash..];
            var rangeWithEnd = new Ipv4Range(cidr, start, end);
            return Build(rangeWithEnd, ipam, "whereabouts:" + rangeText);
        }

        var range = new Ipv4Range(cidr, start, ipam["range_end"]?.ToString());
        return Build(range, ipam, "whereabouts:" + rangeText);
    }

    private static IpamPool Build(Ipv4Range range, JsonObject ipam, string key)
    {
        foreach (var excluded in (ipam["exclude"] as JsonArray)?.Select(e => e?.ToString()).OfType<string>() ?? [])
        {
            range.Exclude(excluded);
        }

        var gateway = ipam["gateway"]?.ToString();
        if (gateway is not null)
        {
            range.Exclude(gateway);
        }

        return new IpamPool(key, range, gateway);
    }

    private static IpamPool? HostLocal(JsonObject ipam)
    {
        var subnet = ipam["subnet"]?.ToString() ??
                     ((ipam["ranges"] as JsonArray)?.FirstOrDefault() as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["subnet"]?.ToString();
        return subnet is null ? null : Build(new Ipv4Range(subnet, ipam["rangeStart"]?.ToString(), ipam["rangeEnd"]?.ToString()), ipam, "host-local:" + subnet);
    }

    private (IpamPool?, string?) NvIpam(JsonObject ipam)
    {
        var poolName = ipam["poolName"]?.ToString()?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(poolName))
        {
            return (null, "nv-ipam: poolName is required");
        }

        var poolType = _api.Registry.Find("nv-ipam.nvidia.com", "v1alpha1", "ippools");
        var pool = poolType is null ? null : _api.List(poolType, null).Items.FirstOrDefault(p => p.Name == poolName);
        if (pool is null)
        {
            return (null, $"nv-ipam: failed to allocate IP: pool \"{poolName}\" not found");
        }

        var spec = pool.ToJsonObject()["spec"] as JsonObject;
        var subnet = spec?["subnet"]?.ToString() ?? throw new FormatException($"IPPool {pool.Namespace}/{poolName} has no spec.subnet");
        var range = new Ipv4Range(subnet);
        var gateway = spec?["gateway"]?.ToString();
        if (gateway is not null)
        {
            range.Exclude(gateway);
        }

        foreach (var exclusion in (spec?["exclusions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (exclusion["startIP"]?.ToString() is { } start && exclusion["endIP"]?.ToString() is { } end)
            {
                range.ExcludeRange(start, end);
            }
        }

        return (new IpamPool($"nv-ipam:{pool.Namespace}/{poolName}", range, gateway), null);
    }
}
