using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>One secondary network a pod asks Multus for.</summary>
public sealed record NetworkAttachment(string Namespace, string Name, string? Interface, IReadOnlyList<string>? Ips, string? Mac);

/// <summary>
/// Parses the <c>k8s.v1.cni.cncf.io/networks</c> annotation in both forms Multus accepts: the comma-separated
/// <c>[ns/]name[@ifname]</c> list and the JSON list of selection objects.
/// </summary>
public static class NetworkSelection
{
    public const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";
    public const string NetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";

    public static IReadOnlyList<NetworkAttachment> Parse(string? annotation, string podNamespace)
    {
        if (string.IsNullOrWhiteSpace(annotation))
        {
            return [];
        }

        var text = annotation.Trim();
        if (text.StartsWith('['))
        {
            try
            {
                return [.. JsonNode.Parse(text)!.AsArray().OfType<JsonObject>().Select(o => new NetworkAttachment(
                    o["namespace"]?.ToString() is { Length: > 0 } ns ? ns : podNamespace,
                    o["name"]?.ToString() ?? throw new FormatException("a network selection element has no name"),
                    o["interface"]?.ToString(),
                    (o["ips"] as JsonArray)?.Select(i => i!.ToString()).ToList(),
                    o["mac"]?.ToString()))];
            }
            catch (JsonException e)
            {
                throw new FormatException($"invalid JSON in {NetworksAnnotation}: {e.Message}", e);
            }
        }

        var result = new List<NetworkAttachment>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var item = raw;
            string? iface = null;
            var at = item.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0)
            {
                iface = item[(at + 1)..];
                item = item[..at];
            }

            var slash = item.IndexOf('/', StringComparison.Ordinal);
            result.Add(slash >= 0
                ? new NetworkAttachment(item[..slash], item[(slash + 1)..], iface, null, null)
                : new NetworkAttachment(podNamespace, item, iface, null, null));
        }

        return result;
    }
}
