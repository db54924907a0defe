using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Ofed;

/// <summary>
/// Groups NIC nodes into driver pools. Upstream keys pools by OS id, OS version and kernel only, so a cluster
/// mixing amd64 and arm64 nodes on the same kernel string gets one DaemonSet with one architecture's image. We keep the
/// upstream key (and therefore the upstream DaemonSet names) whenever a group is single-architecture, and split a
/// mixed group into one pool per architecture, named with an <c>-&lt;arch&gt;</c> suffix and pinned by
/// <c>kubernetes.io/arch</c>.
/// </summary>
public static class NodePools
{
    public sealed record Result(IReadOnlyList<DriverPool> Pools, IReadOnlyList<SkippedNode> Skipped);

    public sealed record SkippedNode(string Name, string Reason);

    public static Result Compute(IEnumerable<V1Node> nodes, IEnumerable<V1Toleration>? policyTolerations, IReadOnlyDictionary<string, string>? nodeSelector = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var tolerations = (policyTolerations ?? []).Concat(Tolerations.DaemonSetAutomatic).ToList();
        var skipped = new List<SkippedNode>();
        var candidates = new List<(V1Node Node, string Os, string Version, string Kernel, string Arch)>();
        foreach (var node in nodes.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
            var name = node.Metadata?.Name ?? string.Empty;
            if (!labels.TryGetValue(Labels.NicPresent, out var present) || present != "true")
            {
                continue;
            }

            if (nodeSelector is not null && !nodeSelector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value))
            {
                continue;
            }

            if (!Tolerations.ToleratesAll(tolerations, node))
            {
                skipped.Add(new SkippedNode(name, "has a taint the driver does not tolerate"));
                continue;
            }

            if (!labels.TryGetValue(Labels.OsReleaseId, out var os) || !labels.TryGetValue(Labels.OsReleaseVersionId, out var version)
                || !labels.TryGetValue(Labels.KernelVersionFull, out var kernel) || !labels.TryGetValue(Labels.Arch, out var arch))
            {
                skipped.Add(new SkippedNode(name, "Could not find NFD labels for node. Is NFD installed?"));
                continue;
            }

            candidates.Add((node, os, version, kernel, arch));
        }

        var pools = new List<DriverPool>();
        foreach (var group in candidates.GroupBy(c => (c.Os, c.Version, c.Kernel)).OrderBy(g => $"{g.Key.Os}{g.Key.Version}-{g.Key.Kernel}", StringComparer.Ordinal))
        {
            var byArch = group.GroupBy(c => c.Arch).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            foreach (var archGroup in byArch)
            {
                // As upstream, the first node seen defines the pool's optional facts (OSTREE version, runtime).
                var first = archGroup.First().Node;
                var labels = first.Metadata?.Labels ?? new Dictionary<string, string>();
                labels.TryGetValue(Labels.OsTreeVersion, out var osTree);
                pools.Add(new DriverPool(group.Key.Os, group.Key.Version, group.Key.Kernel, archGroup.Key, osTree, ContainerRuntime(first), [.. archGroup.Select(c => c.Node.Metadata!.Name)])
                {
                    ArchSplit = byArch.Count > 1,
                });
            }
        }

        return new Result(pools, skipped);
    }

    private static string ContainerRuntime(V1Node node)
    {
        var version = node.Status?.NodeInfo?.ContainerRuntimeVersion ?? string.Empty;
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? version : version[..colon];
    }
}
