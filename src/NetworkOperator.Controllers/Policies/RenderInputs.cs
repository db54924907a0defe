using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// A digest of everything a policy's states render from: the policy (identity, generation, labels, annotations), every
/// cluster fact, and of each node what renderers read of it (name, labels, taints, container runtime). Two passes with
/// the same digest render the same objects, so <see cref="StateSynchronizer"/> keeps the last pass's objects instead of
/// rendering, hashing and serializing them again: a policy is reconciled on every status change of its DaemonSets,
/// dozens of times a second while drivers roll out or upgrade, and that re-render was the largest part of the operator's CPU.
/// </summary>
/// <remarks>
/// Left out, because the operator itself flips them on every node during a rollout or an upgrade and no renderer
/// reads them: the upgrade-state and wait labels (unless the policy's spec names one, say in a node selector) and the
/// cordon's <c>node.kubernetes.io/unschedulable:NoSchedule</c> taint (every node DaemonSet tolerates it).
/// </remarks>
public static class RenderInputs
{
    private static readonly string[] OperatorNodeLabels = [Labels.UpgradeState, Labels.MofedWait, Labels.NicConfigurationWait];
    private const string CordonTaintKey = "node.kubernetes.io/unschedulable";

    /// <summary>The digest (hex) of <paramref name="policy"/> and <paramref name="facts"/>; null when a fact cannot be pinned down.</summary>
    public static string? Digest(IKubernetesObject<V1ObjectMeta> policy, object? spec, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);

        // A tag lister answers from a cache that refreshes; without a version its answers cannot be part of a digest.
        if (facts.PrecompiledTags is { Version: null })
        {
            return null;
        }

        var specJson = spec is null ? string.Empty : KubernetesJson.Serialize(spec);
        var ignored = OperatorNodeLabels.Where(l => !specJson.Contains(l, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        using var digest = new Digester();
        var meta = policy.Metadata;
        digest.Add(policy.Kind, meta.Name, meta.Uid, meta.Generation?.ToString(CultureInfo.InvariantCulture));
        digest.Add(meta.Labels);
        digest.Add(meta.Annotations);
        digest.Add(specJson);

        digest.Add(facts.ClusterType.ToString(), facts.OperatorNamespace, facts.CniBinDirectory, facts.CniNetworkDirectory,
            facts.OfedInitContainerImage, facts.UseDriverToolkit ? "dtk" : "no-dtk", facts.Proxy?.ToString());
        digest.Add(facts.DriverToolkitImages);
        digest.Add(facts.ConfigMapKeys.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, keys) in facts.ConfigMapKeys.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            digest.Add(name, string.Join('\n', keys));
        }

        digest.Add(facts.PrecompiledTags is { } tags
            ? $"{tags.GetType().FullName}#{RuntimeHelpers.GetHashCode(tags)}@{tags.Version}"
            : "no-tags");

        digest.Add(facts.Nodes.Count.ToString(CultureInfo.InvariantCulture));
        var ignoredKey = string.Join('\n', ignored.Order(StringComparer.Ordinal));
        foreach (var node in facts.Nodes)
        {
            digest.AddHash(NodeHash(node, ignored, ignoredKey));
        }

        return digest.Finish();
    }

    // A node's part of the digest, kept per node object: the cache replaces a node's object on every change and never
    // edits one, so a pass hashes only the nodes that changed since the last (at 10,000 nodes, a quarter of a million
    // label strings a pass otherwise).
    private static readonly ConditionalWeakTable<V1Node, NodeDigest> NodeHashes = new();

    private sealed record NodeDigest(string IgnoredKey, byte[] Hash);

    private static byte[] NodeHash(V1Node node, HashSet<string> ignored, string ignoredKey)
    {
        if (NodeHashes.TryGetValue(node, out var known) && known.IgnoredKey == ignoredKey)
        {
            return known.Hash;
        }

        using var digest = new Digester();
        digest.Add(node.Metadata?.Name, node.Status?.NodeInfo?.ContainerRuntimeVersion);
        digest.Add(node.Metadata?.Labels, ignored);
        foreach (var taint in node.Spec?.Taints ?? [])
        {
            if (taint.Key == CordonTaintKey && taint.Effect == "NoSchedule")
            {
                continue;
            }

            digest.Add("taint", taint.Key, taint.Value, taint.Effect);
        }

        var hash = digest.FinishBytes();
        NodeHashes.AddOrUpdate(node, new NodeDigest(ignoredKey, hash));
        return hash;
    }

    /// <summary>SHA-256 over length-prefixed UTF-8 strings (null and empty differ), so no two input lists share a digest.</summary>
    private sealed class Digester : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);

        public void Add(params string?[] values)
        {
            foreach (var value in values)
            {
                Add(value);
            }
        }

        public void Add(IEnumerable<KeyValuePair<string, string>>? map, HashSet<string>? skip = null)
        {
            if (map is null)
            {
                Add((string?)null);
                return;
            }

            var entries = map.Where(kv => skip is null || !skip.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal);
            var count = 0;
            foreach (var (key, value) in entries)
            {
                Add(key);
                Add(value);
                count++;
            }

            Add(count.ToString(CultureInfo.InvariantCulture));
        }

        private void Add(string? value)
        {
            Span<byte> prefix = stackalloc byte[5];
            if (value is null)
            {
                prefix[0] = 0;
                _hash.AppendData(prefix[..1]);
                return;
            }

            var length = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_buffer.Length < length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(length);
            }

            var written = Encoding.UTF8.GetBytes(value, _buffer);
            prefix[0] = 1;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(prefix[1..], written);
            _hash.AppendData(prefix);
            _hash.AppendData(_buffer, 0, written);
        }

        public void AddHash(byte[] hash) => _hash.AppendData(hash);

        public byte[] FinishBytes() => _hash.GetHashAndReset();

        public string Finish() => Convert.ToHexString(_hash.GetHashAndReset());

        public void Dispose()
        {
            _hash.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
