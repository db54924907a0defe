using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.NodeLabels;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Runs the upgrade of one policy (the NicClusterPolicy, or one NicNodePolicy): executes the state machine's actions,
/// owns the drains it started (at most one per node, in the background) and remembers failure reasons for status.
/// Everything else is re-derived from the cluster each pass, so losing this object (a restart) loses nothing durable.
/// </summary>
public sealed class PolicyUpgradeManager : IAsyncDisposable
{
    private const int PatchConcurrency = 16;

    private readonly IKubernetes _client;
    private readonly NodeDrainer _drainer;
    private readonly EventRecorder? _events;
    private readonly UpgradeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _wake;
    private readonly UpgradeCache? _cache;
    private readonly ConcurrentDictionary<string, RunningDrain> _drains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DrainOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _failureReasons = new(StringComparer.Ordinal);
    private IReadOnlyCollection<string> _publishedStates = [];
    private PolicyIdentity _identity = null!;

    public PolicyUpgradeManager(PolicyIdentity identity, IKubernetes client, NodeDrainer drainer, EventRecorder? events,
        UpgradeMetrics metrics, TimeProvider time, ILogger logger, Action wake, UpgradeCache? cache = null)
    {
        Identity = identity;
        _client = client;
        _drainer = drainer;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _wake = wake;
        _cache = cache;
    }

    public PolicyIdentity Identity
    {
        get => _identity;
        private set
        {
            _identity = value;
            Label = value.ToString();
        }
    }

    /// <summary><c>Kind/name</c>: the metrics label and log name of the policy.</summary>
    public string Label { get; private set; } = string.Empty;

    /// <summary>Nodes that ran this policy's driver at the last pass (cleaned up when the policy goes away).</summary>
    public IReadOnlyCollection<string> ManagedNodes { get; private set; } = [];

    public UpgradeSummary LastSummary { get; private set; } = UpgradeSummary.Empty;

    public int DrainsInFlight => _drains.Count;

    /// <summary>Builds the snapshot from <paramref name="inputs"/>, decides and executes one pass.</summary>
    public async Task<UpgradePlan> RunPassAsync(UpgradeInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Identity = inputs.Identity;
        var nodes = inputs.Nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);

        // An outcome is consumed by the state change it causes; one left over from an earlier cycle must not leak.
        foreach (var node in _outcomes.Keys)
        {
            if (!nodes.TryGetValue(node, out var n) || ManagedNode.StateOf(n) != UpgradeStates.DrainRequired)
            {
                _outcomes.TryRemove(node, out _);
            }
        }

        var snapshot = new UpgradeSnapshot
        {
            Policy = inputs.Identity,
            UpgradePolicy = inputs.Policy,
            Nodes = inputs.Nodes,
            DaemonSets = inputs.DaemonSets,
            DriverPods = inputs.DriverPods,
            ControllerRevisions = inputs.ControllerRevisions,
            WaitForCompletionPods = inputs.WaitForCompletionPods,
            Now = _time.GetUtcNow(),
            DrainsInFlight = _drains.ToDictionary(p => p.Key, p => p.Value.Blocker, StringComparer.Ordinal),
            DrainOutcomes = new Dictionary<string, DrainOutcome>(_outcomes, StringComparer.Ordinal),
            KnownFailureReasons = new Dictionary<string, string>(_failureReasons, StringComparer.Ordinal),
            Maintenance = inputs.Maintenance,
            NodeMaintenances = inputs.NodeMaintenances,
            MaintenanceUnavailable = inputs.MaintenanceUnavailable,
        };
        var plan = UpgradeStateMachine.DecideChained(snapshot);
        ManagedNodes = plan.ManagedNodes;
        await ExecuteAsync(plan.Actions, nodes, inputs.PolicyObject, cancellationToken).ConfigureAwait(false);
        LastSummary = plan.Summary;
        _metrics.Publish(Label, plan.Summary, _publishedStates);
        _publishedStates = [.. plan.Summary.NodeCountsByState.Keys];
        return plan;
    }

    /// <summary>
    /// Stops this policy's drains and removes its upgrade labels from <paramref name="nodes"/> (<see cref="UpgradeStateMachine.Cleanup"/>); in requestor mode
    /// also deletes (or leaves) the NodeMaintenance objects of <paramref name="requestorId"/>.
    /// </summary>
    public async Task CleanupAsync(IEnumerable<V1Node> nodes, CancellationToken cancellationToken,
        IEnumerable<NodeMaintenanceInfo>? maintenances = null, string? requestorId = null)
    {
        await CancelDrainsAsync().ConfigureAwait(false);
        _outcomes.Clear();
        var list = nodes.ToList();
        var actions = requestorId is null || maintenances is null
            ? UpgradeStateMachine.Cleanup(list)
            : [.. UpgradeStateMachine.CleanupMaintenance(maintenances, requestorId), .. UpgradeStateMachine.Cleanup(list)];
        await ExecuteAsync(actions, list.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal), null, cancellationToken).ConfigureAwait(false);
        _metrics.Publish(Label, UpgradeSummary.Empty, _publishedStates);
        _publishedStates = [];
        LastSummary = UpgradeSummary.Empty;
    }

    public async ValueTask DisposeAsync() => await CancelDrainsAsync().ConfigureAwait(false);

    internal async Task ExecuteAsync(IReadOnlyList<UpgradeAction> actions, IReadOnlyDictionary<string, V1Node> nodes,
        IKubernetesObject<V1ObjectMeta>? policyObject, CancellationToken cancellationToken)
    {
        var patches = new Dictionary<string, NodePatch>(StringComparer.Ordinal);
        var completed = 0;
        NodePatch PatchOf(string node) => patches.TryGetValue(node, out var p) ? p : patches[node] = new NodePatch(node);
        foreach (var action in actions)
        {
            switch (action)
            {
                case SetNodeState set:
                    PatchOf(set.Node).Label(Labels.UpgradeState, set.State);
                    if (set.State == UpgradeStates.UpgradeDone && nodes.TryGetValue(set.Node, out var before)
                        && ManagedNode.StateOf(before) is not (UpgradeStates.Unknown or UpgradeStates.UpgradeDone))
                    {
                        completed++;
                    }

                    break;
                case MarkFailed failed:
                    PatchOf(failed.Node).Label(Labels.UpgradeState, UpgradeStates.UpgradeFailed);
                    break;
                case SetNodeAnnotation annotation:
                    PatchOf(annotation.Node).Annotation(annotation.Key, annotation.Value);
                    break;
                case SetNodeUnschedulable cordon:
                    PatchOf(cordon.Node).Unschedulable(cordon.Unschedulable);
                    break;
            }
        }

        foreach (var patch in patches.Values)
        {
            if (nodes.TryGetValue(patch.Node, out var current))
            {
                WithWaitLabel(patch, current);
                patch.DropUnchanged(current);
            }
        }

        // NodeMaintenance changes before the node writes: a node is only marked done once its maintenance is released
        // (a crash in between repeats the release, which is idempotent).
        foreach (var action in actions)
        {
            await NodeMaintenanceClient.ExecuteAsync(_client, action, _logger, cancellationToken).ConfigureAwait(false);
        }

        // Node writes first: a drain or a pod deletion only ever follows a state that is already recorded.
        using var gate = new SemaphoreSlim(PatchConcurrency);
        await Task.WhenAll(patches.Values.Where(p => !p.IsEmpty).Select(async patch =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await PatchNodeAsync(patch, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        foreach (var action in actions)
        {
            switch (action)
            {
                case SetNodeState set:
                    _outcomes.TryRemove(set.Node, out _);
                    _failureReasons.TryRemove(set.Node, out _);
                    break;
                case MarkFailed failed:
                    _outcomes.TryRemove(failed.Node, out _);
                    _failureReasons[failed.Node] = failed.Reason;
                    _metrics.Failed.WithLabels(Label).Inc();
                    UpgradeLog.NodeFailed(_logger, failed.Node, Label, failed.Reason);
                    break;
                case StartDrain drain when nodes.TryGetValue(drain.Node, out var node):
                    StartDrainOf(node, drain.Options, policyObject);
                    break;
            }
        }

        // Driver pods go concurrently, each after its node's state is recorded (above): the DaemonSet controller replaces
        // them one by one as their deletes land, so one pass deleting a wave's pods in series held that wave back.
        await Task.WhenAll(actions.OfType<DeleteDriverPod>().Select(async delete =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await DeletePodAsync(delete, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        if (completed > 0)
        {
            _metrics.Completed.WithLabels(Label).Inc(completed);
        }

        foreach (var record in actions.OfType<RecordEvent>())
        {
            await RecordAsync(record, nodes, policyObject, cancellationToken).ConfigureAwait(false);
        }
    }

    // One write per node per transition: mofed.wait travels with the state label when the driver pod is restarted.
    private static void WithWaitLabel(NodePatch patch, V1Node current)
    {
        if (patch.SetsLabel(Labels.UpgradeState, out var to) && to is not null)
        {
            var wait = current.Metadata.Labels is { } labels && labels.TryGetValue(Labels.MofedWait, out var value) ? value : null;
            if (UpgradeWaitLabel.For(ManagedNode.StateOf(current), to, wait) is { } wanted)
            {
                patch.Label(Labels.MofedWait, wanted);
            }
        }
    }

    private async Task PatchNodeAsync(NodePatch patch, CancellationToken cancellationToken)
    {
        try
        {
            var written = await _client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJson(), V1Patch.PatchType.MergePatch), patch.Node,
                cancellationToken: cancellationToken).ConfigureAwait(false);

            // The next pass reads the cache; it must see this write even if the watch has not delivered it yet.
            _cache?.NodeWritten(written);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            // The node left the cluster; the next pass no longer sees it.
        }
    }

    private async Task DeletePodAsync(DeleteDriverPod delete, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await _client.CoreV1.DeleteNamespacedPodAsync(delete.Name, delete.Namespace,
                new V1DeleteOptions { Preconditions = delete.Uid is null ? null : new V1Preconditions { Uid = delete.Uid } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (deleted is not null)
            {
                _cache?.DriverPodDeleted(deleted);
            }
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex) || ApiErrors.IsConflict(ex))
        {
            // Already gone or already replaced: exactly what the deletion wanted.
        }
    }

    private void StartDrainOf(V1Node node, DrainOptions options, IKubernetesObject<V1ObjectMeta>? policyObject)
    {
        var name = node.Metadata.Name;
        var cancel = new CancellationTokenSource();
        var running = new RunningDrain(cancel);
        if (!_drains.TryAdd(name, running))
        {
            cancel.Dispose();
            return; // never two drains of one node
        }

        _metrics.Drains.WithLabels(Label, "started").Inc();
        UpgradeLog.DrainStarting(_logger, name, Label);
        running.Task = Task.Run(async () =>
        {
            DrainOutcome outcome;
            try
            {
                outcome = await _drainer.DrainAsync(name, options, blocker => OnBlocked(running, node, policyObject, blocker), cancel.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                _drains.TryRemove(new KeyValuePair<string, RunningDrain>(name, running));
                return;
            }
            catch (Exception ex)
            {
                outcome = DrainOutcome.Failure($"drain of node {name} failed: {ex.Message}");
            }

            _metrics.Drains.WithLabels(Label, outcome.Succeeded ? "succeeded" : "failed").Inc();
            _outcomes[name] = outcome;
            _drains.TryRemove(new KeyValuePair<string, RunningDrain>(name, running));
            _wake();
        }, CancellationToken.None);
    }

    private void OnBlocked(RunningDrain running, V1Node node, IKubernetesObject<V1ObjectMeta>? policyObject, string? blocker)
    {
        running.Blocker = blocker;
        if (blocker is null)
        {
            return;
        }

        // Events are diagnostics: fire and forget (the recorder never throws and de-duplicates repeats).
        var record = new RecordEvent(EventTarget.Node, node.Metadata.Name, true, "DrainBlocked", blocker);
        _ = RecordAsync(record, new Dictionary<string, V1Node> { [node.Metadata.Name] = node }, policyObject, CancellationToken.None);
        _ = RecordAsync(record with { Target = EventTarget.Policy, Message = $"node {node.Metadata.Name}: {blocker}" },
            new Dictionary<string, V1Node> { [node.Metadata.Name] = node }, policyObject, CancellationToken.None);
        _wake();
    }

    private async Task RecordAsync(RecordEvent record, IReadOnlyDictionary<string, V1Node> nodes, IKubernetesObject<V1ObjectMeta>? policyObject,
        CancellationToken cancellationToken)
    {
        if (_events is null)
        {
            return;
        }

        IKubernetesObject<V1ObjectMeta>? target = record.Target == EventTarget.Policy
            ? policyObject
            : record.Node is not null && nodes.TryGetValue(record.Node, out var node) ? WithKind(node) : null;
        if (target is null)
        {
            return;
        }

        await _events.RecordAsync(target, record.Warning ? EventRecorder.Warning : EventRecorder.Normal, record.Reason, record.Message,
            cancellationToken).ConfigureAwait(false);
    }

    // Nodes come from the shared cache: give the event a copy that names its kind rather than touching the cached one.
    private static V1Node WithKind(V1Node node) => string.IsNullOrEmpty(node.Kind)
        ? new V1Node { Kind = V1Node.KubeKind, ApiVersion = V1Node.KubeApiVersion, Metadata = node.Metadata }
        : node;

    private async Task CancelDrainsAsync()
    {
        foreach (var (_, drain) in _drains)
        {
            await drain.Cancel.CancelAsync().ConfigureAwait(false);
        }

        foreach (var (_, drain) in _drains)
        {
            if (drain.Task is { } task)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _drains.Clear();
    }

    private sealed class RunningDrain(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;

        public volatile string? Blocker;

        public Task? Task { get; set; }
    }
}
