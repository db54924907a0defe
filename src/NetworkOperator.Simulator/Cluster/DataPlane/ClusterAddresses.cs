using System.Collections.Concurrent;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>
/// Primary-network addresses: node IPs (the node's InternalIP, or one from 10.0.0.0/16 when the inventory has none) and
/// pod IPs on eth0 from 10.128.0.0/9, handed out in order and never reused within a run.
/// </summary>
internal sealed class ClusterAddresses
{
    private readonly ConcurrentDictionary<string, string> _nodeIps = new(StringComparer.Ordinal);
    private long _nextNode;
    private long _nextPod;

    public string NodeIp(V1Node node) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ??
        _nodeIps.GetOrAdd(node.Metadata.Name, _ =>
        {
            var n = (uint)Interlocked.Increment(ref _nextNode);
            return Ipv4Range.ToText(Ipv4Range.ToUInt(System.Net.IPAddress.Parse("10.0.0.0")) + (n / 254 * 256) + (n % 254) + 1);
        });

    public string NextPodIp()
    {
        var n = (uint)Interlocked.Increment(ref _nextPod);
        return Ipv4Range.ToText(Ipv4Range.ToUInt(System.Net.IPAddress.Parse("10.128.0.0")) + (n / 254 * 256) + (n % 254) + 1);
    }

    /// <summary>A stable locally administered MAC for a pod interface.</summary>
    public static string Mac(string podUid, string iface)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(podUid + "/" + iface));
        return $"02:{hash[0]:x2}:{hash[1]:x2}:{hash[2]:x2}:{hash[3]:x2}:{hash[4]:x2}";
    }
}
