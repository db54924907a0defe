using k8s.Models;
using NetworkOperator.Runtime.Cache;

namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// The pods-by-node index on the operator's pod informers, so a per-node reconcile finds a node's driver or
/// NIC-configuration pods without walking every pod of the cluster.
/// </summary>
public static class PodsByNode
{
    public const string IndexName = "spec.nodeName";

    // One delegate for every caller: the store keeps an index once per name and refuses another function under it.
    private static readonly Func<V1Pod, string?> NodeOf = p => string.IsNullOrEmpty(p.Spec?.NodeName) ? null : p.Spec.NodeName;

    /// <summary>Adds the index to an informer's store (idempotent).</summary>
    public static void Index(Informer<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        pods.Store.AddIndex(IndexName, NodeOf);
    }

    /// <summary>The informer's pods bound to <paramref name="node"/>; the informer must carry the index.</summary>
    public static IReadOnlyList<V1Pod> On(Informer<V1Pod> pods, string node)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods.Store.ListByIndex(IndexName, node);
    }
}
