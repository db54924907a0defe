using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// The driver upgrade controller (upstream's UpgradeReconciler): one worker, one fixed key, so passes never overlap.
/// Each pass reads the policies, nodes, driver DaemonSets, pods and ControllerRevisions, then runs one
/// <see cref="PolicyUpgradeManager"/> per policy with auto-upgrade on (the NicClusterPolicy and each NicNodePolicy
/// separately) and cleans up after policies that turned it off or disappeared. Reads are served from the informer
/// caches (<see cref="UpgradeCache"/>); every write the controller makes is put back into them at once, so a pass always
/// sees its previous pass's writes without listing from the API server.
/// </summary>
public sealed class DriverUpgradeController : IReconciler, IAsyncDisposable
{
    /// <summary>Every event maps to this key (upstream's).</summary>
    public static readonly ObjectKey Key = new("ofed-upgrade-reconcile-namespace", "ofed-upgrade-reconcile-name");

    // States in which a node still faces its drain (the drain pod cache stays up while any node is in one).
    private static readonly string[] DrainStates =
    [
        UpgradeStates.UpgradeRequired, UpgradeStates.CordonRequired, UpgradeStates.WaitForJobsRequired, UpgradeStates.PodDeletionRequired,
        UpgradeStates.DrainRequired,
    ];

    private readonly IKubernetes _client;
    private readonly UpgradeCache _cache;
    private readonly EventRecorder? _events;
    private readonly UpgradeControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StallNotices _stalls = new();
    private readonly NodeDrainer _drainer;
    private readonly DrainPodCache _drainPods;
    private readonly PolicyUpgradeManager _clusterManager;
    private readonly Dictionary<string, PolicyUpgradeManager> _nodePolicyManagers = new(StringComparer.Ordinal);
    private readonly StatusCoalescer _statusWrites;

    // Set by a pass that held back a status.upgrade write; the pass then runs again when the write is due.
    private TimeSpan? _statusHeld;

    public DriverUpgradeController(IKubernetes client, UpgradeCache cache, UpgradeControllerOptions? options = null, EventRecorder? events = null,
        UpgradeMetrics? metrics = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);
        _client = client;
        _cache = cache;
        _events = events;
        _options = options ?? new UpgradeControllerOptions();
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NetworkOperator.Controllers.Upgrade");
        Metrics = metrics ?? new UpgradeMetrics();
        _drainPods = new DrainPodCache(client, loggerFactory, _time);
        _drainer = new NodeDrainer(client, _time, _logger, _drainPods)
        {
            EvictionRetryInterval = _options.EvictionRetryInterval,
            DeletionPollInterval = _options.DeletionPollInterval,
        };
        _clusterManager = NewManager(PolicyIdentity.ForClusterPolicy(_options.ClusterPolicyName));
        _statusWrites = new StatusCoalescer(_time);
    }

    /// <summary>Wakes the controller when a drain finishes or gets blocked; a watch source of the controller.</summary>
    public ManualSource Triggers { get; } = new("driver upgrade drains");

    public UpgradeMetrics Metrics { get; }

    /// <summary>The manager of the NicClusterPolicy's upgrade.</summary>
    public PolicyUpgradeManager ClusterPolicyManager => _clusterManager;

    /// <summary>Managers of NicNodePolicies that currently have auto-upgrade on (or were cleaned up this pass).</summary>
    public IReadOnlyDictionary<string, PolicyUpgradeManager> NodePolicyManagers => _nodePolicyManagers;

    /// <summary>
    /// Builds the controller on <paramref name="manager"/>: watches policies, nodes (labels, annotations, cordon) and
    /// driver DaemonSets (whose status follows the driver pods), all mapped to <see cref="Key"/>, and reads them (and the
    /// driver pods of <paramref name="driverPods"/>, a scoped pod informer of the manager's factory) from cache.
    /// </summary>
    public static (Controller Controller, DriverUpgradeController Reconciler) AddTo(ControllerManager manager, Informer<V1Pod> driverPods,
        UpgradeControllerOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(driverPods);
        options ??= new UpgradeControllerOptions();
        var cache = UpgradeCache.From(manager, driverPods, options.Namespace);
        var reconciler = new DriverUpgradeController(manager.Client, cache, options, manager.Events, new UpgradeMetrics(manager.Metrics.Registry),
            time, loggerFactory);
        var controller = manager.NewController("upgrade")
            .Watches<NicClusterPolicy>(_ => [Key])
            .Watches<NicNodePolicy>(_ => [Key])
            .Watches<V1Node>(_ => [Key], new DelegatePredicate<V1Node>(update: NodeChanged))
            .Watches<V1DaemonSet>(_ => [Key], Predicates.Where<V1DaemonSet>(d => d.Metadata.Labels?.ContainsKey(Labels.OfedDriver) == true))
            .WatchesSource(new InformerSource<V1Pod>(driverPods, _ => [Key], [new DelegatePredicate<V1Pod>(update: DriverPodChanged)], "driver pods"))
            .WatchesSource(reconciler.Triggers)
            .WithOptions(o =>
            {
                o.MinInterval = options.PassInterval;
                o.IdleShare = options.IdlePassShare;
            })
            .Complete(reconciler);
        return (controller, reconciler);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        _statusHeld = null;

        // Everything but NodeMaintenances and wait-for-completion pods comes from the caches (see UpgradeCache).
        IList<V1Node> nodes = [.. _cache.Nodes()];
        nodes = await RemoveLegacyAnnotationAsync(nodes, cancellationToken).ConfigureAwait(false);

        var clusterPolicy = _cache.ClusterPolicy(_options.ClusterPolicyName);
        var nodePolicies = _cache.NodePolicies();
        var clusterUpgrade = clusterPolicy?.Spec.OfedDriver is { } driver ? UpgradePolicy.From(driver.UpgradePolicy) : UpgradePolicy.Disabled;
        var anyEnabled = clusterUpgrade.AutoUpgrade
            || nodePolicies.Any(p => p.Spec.OfedDriver?.UpgradePolicy?.AutoUpgrade == true);

        IReadOnlyList<V1Pod> driverPods = _cache.DriverPods(_options.Namespace);
        IReadOnlyList<V1DaemonSet> daemonSets = anyEnabled ? _cache.DriverDaemonSets(_options.Namespace) : [];
        IReadOnlyList<V1ControllerRevision> revisions = anyEnabled ? _cache.ControllerRevisions(_options.Namespace) : [];

        var (maintenances, maintenanceUnavailable) = await ListMaintenancesAsync(cancellationToken).ConfigureAwait(false);
        var waitingForMaintenance = false;

        // Nodes running a driver of a NicNodePolicy that has one are that policy's business, not the cluster policy's.
        var nodePolicyNodes = NodesRunning(driverPods, nodePolicies.Where(p => p.Spec.OfedDriver is not null)
            .Select(p => Labels.DsOwnerForNodePolicy(p.Metadata.Name)).ToHashSet(StringComparer.Ordinal));

        string? stalled = null;
        var busy = false;
        var identity = PolicyIdentity.ForClusterPolicy(_options.ClusterPolicyName, clusterPolicy?.Metadata.Uid);
        if (clusterUpgrade.AutoUpgrade)
        {
            var plan = await RunAsync(_clusterManager, identity, clusterUpgrade, clusterPolicy!, nodes, daemonSets, driverPods, revisions,
                maintenances, maintenanceUnavailable, cancellationToken).ConfigureAwait(false);
            stalled ??= plan.Stalled;
            busy |= InProgress(plan.Summary);
            waitingForMaintenance |= plan.Summary.CountOf(UpgradeStates.NodeMaintenanceRequired) > 0;
            await WriteStatusAsync(NicClusterPolicy.KubePlural, clusterPolicy!.Metadata.Name, clusterPolicy.Status, plan.Summary,
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _clusterManager.CleanupAsync(nodes.Where(n => !nodePolicyNodes.Contains(n.Metadata.Name)), cancellationToken,
                maintenances, RequestorOf(identity)).ConfigureAwait(false);
            if (clusterPolicy?.Status?.Upgrade is not null)
            {
                await WriteStatusAsync(NicClusterPolicy.KubePlural, clusterPolicy.Metadata.Name, clusterPolicy.Status, UpgradeSummary.Empty,
                    cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var nodePolicy in nodePolicies.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var name = nodePolicy.Metadata.Name;
            var upgrade = nodePolicy.Spec.OfedDriver is { } nnpDriver ? UpgradePolicy.From(nnpDriver.UpgradePolicy) : UpgradePolicy.Disabled;
            var nnpIdentity = PolicyIdentity.ForNodePolicy(name, nodePolicy.Metadata.Uid);
            if (upgrade.AutoUpgrade)
            {
                if (!_nodePolicyManagers.TryGetValue(name, out var manager))
                {
                    _nodePolicyManagers[name] = manager = NewManager(nnpIdentity);
                }

                var plan = await RunAsync(manager, nnpIdentity, upgrade, nodePolicy, nodes, daemonSets, driverPods, revisions,
                    maintenances, maintenanceUnavailable, cancellationToken).ConfigureAwait(false);
                stalled ??= plan.Stalled;
                busy |= InProgress(plan.Summary);
                waitingForMaintenance |= plan.Summary.CountOf(UpgradeStates.NodeMaintenanceRequired) > 0;
                await WriteStatusAsync(NicNodePolicy.KubePlural, name, nodePolicy.Status, plan.Summary, cancellationToken).ConfigureAwait(false);
            }
            else if (_nodePolicyManagers.Remove(name, out var manager))
            {
                await CleanupNodePolicyAsync(manager, nodes, driverPods, maintenances, cancellationToken).ConfigureAwait(false);
                if (nodePolicy.Status?.Upgrade is not null)
                {
                    await WriteStatusAsync(NicNodePolicy.KubePlural, name, nodePolicy.Status, UpgradeSummary.Empty, cancellationToken)
                        .ConfigureAwait(false);
                }
            }
        }

        var present = nodePolicies.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _nodePolicyManagers.Keys.Where(n => !present.Contains(n)).ToList())
        {
            _nodePolicyManagers.Remove(gone, out var manager);
            await CleanupNodePolicyAsync(manager!, nodes, driverPods, maintenances, cancellationToken).ConfigureAwait(false);
        }

        if (!DrainsAhead())
        {
            await _drainPods.StopAsync().ConfigureAwait(false);
        }

        var result = stalled is not null ? ReconcileResult.After(_options.StalledRequeueInterval)

            // NodeMaintenance objects are polled, not watched: look again soon while a node waits for one to become Ready.
            : waitingForMaintenance ? ReconcileResult.After(_options.MaintenancePollInterval)
            : anyEnabled ? ReconcileResult.After(_options.RequeueInterval)
            : ReconcileResult.Done;
        result = _statusHeld is { } held && (result.RequeueAfter is not { } after || held < after) ? ReconcileResult.After(held) : result;

        // While nodes are upgrading, each pass acts on the last one's outcome: no pacing (PassInterval) then.
        return result with { Busy = busy };
    }

    private static bool InProgress(UpgradeSummary summary) =>
        summary.NodeCountsByState.Any(s => s.Value > 0 && s.Key is not (UpgradeStates.Unknown or UpgradeStates.UpgradeDone or UpgradeStates.UpgradeFailed));

    public async ValueTask DisposeAsync()
    {
        await _drainPods.DisposeAsync().ConfigureAwait(false);
        await _clusterManager.DisposeAsync().ConfigureAwait(false);
        foreach (var manager in _nodePolicyManagers.Values)
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }

        _nodePolicyManagers.Clear();
    }

    private async Task<UpgradePlan> RunAsync(PolicyUpgradeManager manager, PolicyIdentity identity, UpgradePolicy upgrade,
        IKubernetesObject<V1ObjectMeta> policyObject, IList<V1Node> nodes, IReadOnlyList<V1DaemonSet> daemonSets, IReadOnlyList<V1Pod> driverPods,
        IReadOnlyList<V1ControllerRevision> revisions, IReadOnlyList<NodeMaintenanceInfo> maintenances, string? maintenanceUnavailable,
        CancellationToken cancellationToken)
    {
        var owner = identity.DsOwner;
        // Wait-for-completion pods match an arbitrary selector in every namespace, so they are not cached: a live LIST,
        // made only while some node waits for its jobs (bounded by maxParallelUpgrades).
        IList<V1Pod> waitPods = [];
        if (upgrade.WaitForCompletion is { } wait && nodes.Any(n => ManagedNode.StateOf(n) == UpgradeStates.WaitForJobsRequired))
        {
            waitPods = (await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: wait.PodSelector, cancellationToken: cancellationToken)
                .ConfigureAwait(false)).Items;
        }

        var plan = await manager.RunPassAsync(new UpgradeInputs
        {
            Identity = identity,
            Policy = upgrade,
            PolicyObject = policyObject,
            Nodes = [.. nodes],
            DaemonSets = [.. daemonSets.Where(d => OwnedBy(d.Metadata, owner))],

            // Orphans (no owner references) are the legacy DaemonSet's pods; they belong to the cluster policy.
            DriverPods = [.. driverPods.Where(p => OwnedBy(p.Metadata, owner) || (identity.Kind == NicClusterPolicy.KubeKind && DriverPods.IsOrphaned(p)
                && p.Metadata.Labels?.ContainsKey(Labels.DsOwner) != true))],
            ControllerRevisions = [.. revisions],
            WaitForCompletionPods = [.. waitPods],
            Maintenance = MaintenanceOf(identity),
            NodeMaintenances = maintenances,
            MaintenanceUnavailable = maintenanceUnavailable,
        }, cancellationToken).ConfigureAwait(false);
        var newStall = _stalls.IsNews(manager.Label, plan.Stalled);
        if (plan.Stalled is { } stall)
        {
            if (newStall)
            {
                UpgradeLog.Stalled(_logger, manager.Label, stall);
            }
        }
        else if (plan.Actions.Count > 0 && _logger.IsEnabled(LogLevel.Information))
        {
            var counts = string.Join(", ", plan.Summary.NodeCountsByState.Select(p => $"{p.Key}={p.Value}"));
            UpgradeLog.Pass(_logger, manager.Label, plan.Actions.Count, counts);
        }

        return plan;
    }

    private async Task CleanupNodePolicyAsync(PolicyUpgradeManager manager, IList<V1Node> nodes, IReadOnlyList<V1Pod> driverPods,
        IReadOnlyList<NodeMaintenanceInfo> maintenances, CancellationToken cancellationToken)
    {
        var running = NodesRunning(driverPods, new HashSet<string>(StringComparer.Ordinal) { manager.Identity.DsOwner });
        running.UnionWith(manager.ManagedNodes);
        try
        {
            await manager.CleanupAsync(nodes.Where(n => running.Contains(n.Metadata.Name)), cancellationToken, maintenances,
                RequestorOf(manager.Identity)).ConfigureAwait(false);
        }
        finally
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The policy controller owns status and its required "state"; until it has written one, status.upgrade waits
    // (a status with only our field would be invalid). Failures are logged, not retried: status is diagnostics and
    // the next pass writes it again.
    private async Task WriteStatusAsync(string plural, string name, NicPolicyStatus? live, UpgradeSummary summary, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(live?.State))
        {
            return;
        }

        // While nodes are moving, one status.upgrade write a second at most (each pass would otherwise patch the
        // counts: a hundred writes for a 30-node upgrade); the first and the final counts go out at once.
        var desired = UpgradeStatusWriter.ToStatus(summary);
        var key = plural + "/" + name;
        if (!UpgradeStatusWriter.Differs(live.Upgrade, desired))
        {
            return;
        }

        if (_statusWrites.Hold(key, UpgradeStatusWriter.InProgress(live.Upgrade) && UpgradeStatusWriter.InProgress(desired)) is { } wait)
        {
            _statusHeld = _statusHeld is { } held && held < wait ? held : wait;
            return;
        }

        try
        {
            await UpgradeStatusWriter.WriteAsync(_client, plural, name, live.Upgrade, desired, cancellationToken).ConfigureAwait(false);
            _statusWrites.Written(key);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ApiErrors.IsNotFound(ex))
        {
            // The policy was deleted meanwhile: nothing left to report on.
        }
        catch (k8s.Autorest.HttpOperationException ex) when (!cancellationToken.IsCancellationRequested)
        {
            UpgradeLog.StatusWriteFailed(_logger, $"{plural}/{name}", (int)ex.Response.StatusCode, ex.Response.Content ?? string.Empty);
        }
    }

    // Returns the nodes with the patched copies in place: cached objects are shared and never modified.
    private async Task<IList<V1Node>> RemoveLegacyAnnotationAsync(IList<V1Node> nodes, CancellationToken cancellationToken)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Metadata.Annotations?.ContainsKey(Annotations.LegacyUpgradeState) != true)
            {
                continue;
            }

            var patch = new System.Text.Json.Nodes.JsonObject
            {
                ["metadata"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["annotations"] = new System.Text.Json.Nodes.JsonObject { [Annotations.LegacyUpgradeState] = null },
                },
            }.ToJsonString();
            var patched = await _client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), nodes[i].Metadata.Name,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            _cache.NodeWritten(patched);
            nodes[i] = patched;
        }

        return nodes;
    }

    // The drain pod cache lives from an upgrade's first drain until no node of any policy runs or still faces one, so a
    // rolling upgrade lists pods once, not once per wave.
    private bool DrainsAhead() => _nodePolicyManagers.Values.Prepend(_clusterManager).Any(m => m.DrainsInFlight > 0
        || DrainStates.Any(state => m.LastSummary.CountOf(state) > 0));

    private MaintenanceOptions? MaintenanceOf(PolicyIdentity identity) => _options.Maintenance is { } m
        ? MaintenanceOptions.For(identity, m.RequestorId, m.Namespace, m.NodeMaintenancePrefix)
        : null;

    private string? RequestorOf(PolicyIdentity identity) => MaintenanceOf(identity)?.RequestorId;

    // Requestor mode reads the NodeMaintenance objects of its namespace each pass; without their CRD the mode stalls
    // (reported in status) rather than cordoning and draining by itself behind the administrator's back.
    private async Task<(IReadOnlyList<NodeMaintenanceInfo> Items, string? Unavailable)> ListMaintenancesAsync(CancellationToken cancellationToken)
    {
        if (_options.Maintenance is not { } maintenance)
        {
            return ([], null);
        }

        try
        {
            var list = await _client.CustomObjects.ListNamespacedCustomObjectAsync(NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version,
                maintenance.Namespace, NodeMaintenanceInfo.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            var json = System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(list)) as System.Text.Json.Nodes.JsonObject;
            return ([.. (json?["items"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>()
                .Select(NodeMaintenanceInfo.FromJson)], null);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            return ([], $"maintenance-operator mode is on but {NodeMaintenanceInfo.Plural}.{NodeMaintenanceInfo.Group}/{NodeMaintenanceInfo.Version} "
                + "is not served (is the maintenance operator's CRD installed?)");
        }
    }

    private PolicyUpgradeManager NewManager(PolicyIdentity identity) =>
        new(identity, _client, _drainer, _events, Metrics, _time, _logger, () => Triggers.Trigger(Key), _cache);

    private static HashSet<string> NodesRunning(IEnumerable<V1Pod> pods, HashSet<string> owners) =>
        pods.Where(p => p.Metadata.Labels is { } l && l.TryGetValue(Labels.DsOwner, out var o) && owners.Contains(o) && !string.IsNullOrEmpty(p.Spec?.NodeName))
            .Select(p => p.Spec.NodeName).ToHashSet(StringComparer.Ordinal);

    private static bool OwnedBy(V1ObjectMeta metadata, string owner) =>
        metadata.Labels is { } labels && labels.TryGetValue(Labels.DsOwner, out var value) && value == owner;

    // What the state machine reads of a driver pod: binding, readiness, revision, deletion. The DaemonSet's status
    // follows these too, but a beat later and summed over the pool, so a node would wait for its pool's next count.
    private static bool DriverPodChanged(V1Pod oldPod, V1Pod newPod) =>
        oldPod.Spec?.NodeName != newPod.Spec?.NodeName
        || DriverPods.IsReady(oldPod) != DriverPods.IsReady(newPod)
        || DriverPods.FailingReason(oldPod) != DriverPods.FailingReason(newPod)
        || DriverPods.RevisionHashOf(oldPod) != DriverPods.RevisionHashOf(newPod)
        || (oldPod.Metadata.DeletionTimestamp is null) != (newPod.Metadata.DeletionTimestamp is null);

    private static bool NodeChanged(V1Node oldNode, V1Node newNode) =>
        !SameMap(oldNode.Metadata.Labels, newNode.Metadata.Labels)
        || !SameMap(oldNode.Metadata.Annotations, newNode.Metadata.Annotations)
        || oldNode.Spec?.Unschedulable != newNode.Spec?.Unschedulable;

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || b is null || a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value));
}
