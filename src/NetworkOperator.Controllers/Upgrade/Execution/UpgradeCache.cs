using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Hosting;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// What the upgrade controller reads each pass, served from the manager's shared informer caches instead of LISTs (at
/// 1,000 nodes a pass used to pull every full Node object): Nodes, driver Pods, driver DaemonSets, ControllerRevisions
/// and the policies. A pass must still see its previous pass's own writes, so every write the controller makes (node
/// patches, driver pod deletions) goes back into the cache with <see cref="Informer{T}.Assume"/> before the pass ends;
/// the watch event that follows is dropped as already known, and an older copy never replaces a newer one.
/// Objects returned here are shared with the cache: never modify them.
/// </summary>
public sealed class UpgradeCache
{
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<V1Pod> _driverPods;
    private readonly Informer<V1DaemonSet> _daemonSets;
    private readonly Informer<V1ControllerRevision> _revisions;
    private readonly ICacheReader _policies;

    public UpgradeCache(Informer<V1Node> nodes, Informer<V1Pod> driverPods, Informer<V1DaemonSet> daemonSets,
        Informer<V1ControllerRevision> revisions, ICacheReader policies)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(driverPods);
        ArgumentNullException.ThrowIfNull(daemonSets);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(policies);
        _nodes = nodes;
        _driverPods = driverPods;
        _daemonSets = daemonSets;
        _revisions = revisions;
        _policies = policies;
    }

    /// <summary>
    /// The caches of <paramref name="manager"/> (created here if no controller watches the kind yet) plus
    /// <paramref name="driverPods"/>, the manager's scoped informer of the driver pods. ControllerRevisions are cached in <paramref name="namespace"/> only, without their pod template.
    /// </summary>
    public static UpgradeCache From(ControllerManager manager, Informer<V1Pod> driverPods, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var cache = manager.Cache;
        if (!cache.Informers.OfType<Informer<V1ControllerRevision>>().Any())
        {
            cache.Configure<V1ControllerRevision>(o =>
            {
                o.Namespace = @namespace;
                o.Transform = SlimRevision;
            });
        }

        if (!cache.Informers.OfType<Informer<V1DaemonSet>>().Any())
        {
            // Only the driver DaemonSets of the operator's namespace, and of those only what the state machine reads:
            // unscoped, this cache decoded every DaemonSet of the cluster with its pod template on each status change.
            cache.Configure<V1DaemonSet>(o =>
            {
                o.Namespace = @namespace;
                o.LabelSelector = Labels.OfedDriver;
                o.Shape = DaemonSetShape;
            });
        }

        _ = cache.GetInformer<NicClusterPolicy>();
        _ = cache.GetInformer<NicNodePolicy>();
        return new UpgradeCache(cache.GetInformer<V1Node>(), driverPods, cache.GetInformer<V1DaemonSet>(),
            cache.GetInformer<V1ControllerRevision>(), cache);
    }

    public IReadOnlyList<V1Node> Nodes() => _nodes.Store.List();

    public IReadOnlyList<V1Pod> DriverPods(string @namespace) =>
        [.. _driverPods.Store.List(@namespace).Where(p => p.Metadata.Labels?.ContainsKey(Labels.OfedDriver) == true)];

    public IReadOnlyList<V1DaemonSet> DriverDaemonSets(string @namespace) =>
        [.. _daemonSets.Store.List(@namespace).Where(d => d.Metadata.Labels?.ContainsKey(Labels.OfedDriver) == true)];

    public IReadOnlyList<V1ControllerRevision> ControllerRevisions(string @namespace) => _revisions.Store.List(@namespace);

    /// <summary>
    /// Whether a driver pod runs the newest revision of the DaemonSet that owns it, as the state machine judges it
    /// (<see cref="Upgrade.DriverPods.NewestRevisionHash"/>); the revisions are looked up once per call of this method.
    /// </summary>
    public Func<V1Pod, bool> DriverInSync(string @namespace)
    {
        var revisions = ControllerRevisions(@namespace);
        var newest = DriverDaemonSets(@namespace)
            .Where(d => !string.IsNullOrEmpty(d.Metadata.Uid))
            .ToDictionary(d => d.Metadata.Uid, d => Upgrade.DriverPods.NewestRevisionHash(d, revisions), StringComparer.Ordinal);
        return pod => pod.Metadata.OwnerReferences?.FirstOrDefault(r => r.Kind == "DaemonSet") is { } owner
            && newest.TryGetValue(owner.Uid, out var hash) && hash is not null
            && Upgrade.DriverPods.RevisionHashOf(pod) == hash;
    }

    public NicClusterPolicy? ClusterPolicy(string name) => _policies.Get<NicClusterPolicy>(null, name);

    public IReadOnlyList<NicNodePolicy> NodePolicies() => _policies.List<NicNodePolicy>();

    /// <summary>Records a node as a PATCH of this controller returned it.</summary>
    public void NodeWritten(V1Node returned) => _nodes.Assume(returned);

    /// <summary>
    /// Records a driver pod as its DELETE returned it: still there with a deletion timestamp (graceful), or gone.
    /// </summary>
    public void DriverPodDeleted(V1Pod returned)
    {
        if (returned.Metadata?.Name is null)
        {
            return;
        }

        if (returned.Metadata.DeletionTimestamp is not null)
        {
            _driverPods.Assume(returned);
        }
        else
        {
            _driverPods.AssumeDeleted(returned);
        }
    }

    /// <summary>What of a driver DaemonSet the upgrade reads: identity, labels, the selector (revisions) and status.</summary>
    internal static JsonShape DaemonSetShape { get; } = JsonShape.Of(
        ("apiVersion", JsonShape.All), ("kind", JsonShape.All),
        ("metadata", Hosting.CacheTransforms.MetadataShape),
        ("spec", JsonShape.Of("selector")), ("status", JsonShape.All));

    // The state machine needs a revision's name, namespace, labels and number, never the pod template it stores.
    private static object SlimRevision(object obj) => obj is V1ControllerRevision revision
        ? new V1ControllerRevision
        {
            ApiVersion = revision.ApiVersion,
            Kind = revision.Kind,
            Revision = revision.Revision,
            Metadata = new V1ObjectMeta
            {
                Name = revision.Metadata?.Name,
                NamespaceProperty = revision.Metadata?.NamespaceProperty,
                Uid = revision.Metadata?.Uid,
                ResourceVersion = revision.Metadata?.ResourceVersion,
                Labels = revision.Metadata?.Labels,
                OwnerReferences = revision.Metadata?.OwnerReferences,
            },
        }
        : obj;
}
