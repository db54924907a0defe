using System.Collections.Concurrent;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>
/// Which CNI binaries each node has: those its Ready pods install. A pod installs the binaries that
/// <see cref="SimulatedClusterOptions.CniBinariesByImage"/> lists for one of its containers' image names (the last path
/// segment of the image without tag or digest), as the Multus, cni-plugins, whereabouts, nv-ipam and ipoib-cni
/// DaemonSets copy their binaries into <c>/opt/cni/bin</c>. A binary stays while at least one such pod is Ready there.
/// </summary>
internal sealed class CniBinaries(IReadOnlyDictionary<string, IReadOnlyList<string>> byImage)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>> _byNode = new(StringComparer.Ordinal);

    public static string ImageName(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return string.Empty;
        }

        var name = image.Split('@')[0];
        name = name[(name.LastIndexOf('/') + 1)..];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? name[..colon] : name;
    }

    public IEnumerable<string> InstalledBy(V1Pod pod) =>
        (pod.Spec.Containers ?? []).SelectMany(c => byImage.TryGetValue(ImageName(c.Image), out var binaries) ? binaries : []).Distinct(StringComparer.Ordinal);

    public void Started(string node, string podKey, V1Pod pod)
    {
        foreach (var binary in InstalledBy(pod))
        {
            _byNode.GetOrAdd(node, _ => new(StringComparer.Ordinal)).GetOrAdd(binary, _ => new(StringComparer.Ordinal))[podKey] = 0;
        }
    }

    public void Stopped(string node, string podKey)
    {
        if (_byNode.TryGetValue(node, out var binaries))
        {
            foreach (var pods in binaries.Values)
            {
                pods.TryRemove(podKey, out _);
            }
        }
    }

    public bool Has(string node, string binary) =>
        _byNode.TryGetValue(node, out var binaries) && binaries.TryGetValue(binary, out var pods) && !pods.IsEmpty;

    /// <summary>The binaries the upstream component images install (their CNI plugin and IPAM names).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Defaults() => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["multus-cni"] = ["multus", "multus-shim"],
        ["plugins"] = ["bandwidth", "bridge", "dhcp", "dummy", "firewall", "host-device", "host-local", "ipvlan", "loopback", "macvlan",
            "portmap", "ptp", "sbr", "static", "tap", "tuning", "vlan", "vrf"],
        ["whereabouts"] = ["whereabouts"],
        ["nvidia-k8s-ipam"] = ["nv-ipam"],
        ["ipoib-cni"] = ["ipoib"],
        ["sriov-cni"] = ["sriov"],
        ["ib-sriov-cni"] = ["ib-sriov"],
        ["rdma-cni"] = ["rdma"],
    };
}
