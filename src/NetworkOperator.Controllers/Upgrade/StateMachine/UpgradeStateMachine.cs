using System.Globalization;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Runtime.Cache;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// The in-place driver upgrade flow as a pure function: a snapshot in, the actions of one pass out. Like upstream's
/// ApplyState, each node moves at most one step per pass (nodes are grouped by the state they had in the snapshot), so
/// each step's write is observed before the next step is decided; everything durable lives in node labels and
/// annotations, which makes a restarted operator continue where the previous one stopped. The rows named in the comments
/// below are those of the transition table in docs/driver-upgrade.md.
/// </summary>
public static class UpgradeStateMachine
{
    /// <summary>Decides one pass. Returns no actions when auto-upgrade is off (use <see cref="Cleanup"/> then).</summary>
    public static UpgradePlan Decide(UpgradeSnapshot snapshot) => Decide(snapshot, chain: false);

    /// <summary>
    /// Decides one pass in which a node that moved goes on moving while its next step needs nothing the snapshot does
    /// not already hold (see <see cref="UpgradeChaining"/>): its steps of the pass then land as one node write. Slots
    /// are those of the pass's start, so a node finishing in this pass never frees a slot for another in the same pass.
    /// </summary>
    public static UpgradePlan DecideChained(UpgradeSnapshot snapshot) => Decide(snapshot, chain: true);

    private static UpgradePlan Decide(UpgradeSnapshot snapshot, bool chain)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var (nodes, stall) = BuildNodes(snapshot);
        var pass = new Pass(snapshot, nodes);
        var managed = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        if (!snapshot.UpgradePolicy.AutoUpgrade)
        {
            return new UpgradePlan([], pass.Summary()) { ManagedNodes = managed };
        }

        stall ??= snapshot.Maintenance is not null ? snapshot.MaintenanceUnavailable : null;
        if (stall is not null)
        {
            // A stall protects the slots of nodes being upgraded; a node seen for the first time with its driver in sync
            // and ready holds no slot, so it is still marked done. Without this a fleet's install (every driver
            // DaemonSet briefly short of pods) would wait for the last pod before the first node got its labels.
            pass.FirstSightOnly();
            return new UpgradePlan(pass.Actions, pass.Summary([new NodeProblem("*", stall)])) { Stalled = stall, ManagedNodes = managed };
        }

        pass.Run(chain);
        return new UpgradePlan(pass.Actions, pass.Summary()) { ManagedNodes = managed };
    }

    /// <summary>
    /// What to undo when auto-upgrade is turned off or the policy is gone: remove the state label from
    /// <paramref name="nodes"/> (the caller excludes nodes another enabled policy manages). Beyond upstream, nodes the
    /// upgrade itself cordoned are made schedulable again and the bookkeeping annotations are removed, so turning the
    /// feature off never leaves nodes cordoned; the safe-load annotation stays (only the driver may clear it).
    /// </summary>
    public static IReadOnlyList<UpgradeAction> Cleanup(IEnumerable<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var actions = new List<UpgradeAction>();
        foreach (var node in nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var name = node.Metadata.Name;
            var labels = node.Metadata.Labels;
            if (labels is null || !labels.TryGetValue(Labels.UpgradeState, out var state))
            {
                continue;
            }

            var annotations = node.Metadata.Annotations ?? new Dictionary<string, string>();
            var wasCordoned = annotations.TryGetValue(Annotations.UpgradeInitialStateUnschedulable, out var initial) && initial == "true";
            if (UpgradeStates.IsCordonedByUpgrade(state) && node.Spec?.Unschedulable == true && !wasCordoned)
            {
                actions.Add(new SetNodeUnschedulable(name, false));
            }

            foreach (var key in new[]
            {
                Annotations.UpgradeInitialStateUnschedulable, Annotations.UpgradeWaitForPodCompletionStartTime,
                Annotations.UpgradeRequested, Annotations.UpgradeRequestorMode,
            })
            {
                if (annotations.ContainsKey(key))
                {
                    actions.Add(new SetNodeAnnotation(name, key, null));
                }
            }

            actions.Add(new SetNodeState(name, null));
        }

        return actions;
    }

    /// <summary>
    /// The NodeMaintenance side of that cleanup in requestor mode: delete the objects <paramref name="requestorId"/> owns and
    /// leave the ones it joined, so the maintenance operator uncordons the nodes.
    /// </summary>
    public static IReadOnlyList<UpgradeAction> CleanupMaintenance(IEnumerable<NodeMaintenanceInfo> maintenances, string requestorId)
    {
        ArgumentNullException.ThrowIfNull(maintenances);
        var actions = new List<UpgradeAction>();
        foreach (var m in maintenances.Where(m => !m.Deleting).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            if (m.RequestorId == requestorId)
            {
                actions.Add(new DeleteNodeMaintenance(m.Namespace, m.Name));
            }
            else if (m.AdditionalRequestors.Contains(requestorId))
            {
                actions.Add(new RemoveNodeMaintenanceRequestor(m.Namespace, m.Name, requestorId, m.ResourceVersion));
            }
        }

        return actions;
    }

    /// <summary>
    /// Groups the driver pods by node (BuildState). A DaemonSet whose pod count differs from
    /// <c>desiredNumberScheduled</c> stalls the whole pass, as upstream: while a deleted driver pod is being replaced
    /// its node would otherwise vanish from the managed set and free a slot it still holds.
    /// </summary>
    internal static (List<ManagedNode> Nodes, string? Stall) BuildNodes(UpgradeSnapshot snapshot)
    {
        var nodesByName = new Dictionary<string, V1Node>(StringComparer.Ordinal);
        foreach (var node in snapshot.Nodes)
        {
            nodesByName[node.Metadata.Name] = node;
        }

        string? stall = null;
        var byNode = new Dictionary<string, ManagedNode>(StringComparer.Ordinal);
        var podsOf = PodsByDaemonSet(snapshot.DriverPods);
        foreach (var daemonSet in snapshot.DaemonSets.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
        {
            var owned = podsOf(daemonSet);
            var desired = daemonSet.Status?.DesiredNumberScheduled ?? 0;

            // A replacement pod not yet bound to its node stands for no node: counting it would hide the node it is for.
            var scheduled = owned.Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName));
            if (scheduled != desired && stall is null)
            {
                stall = $"driver DaemonSet {daemonSet.Metadata.NamespaceProperty}/{daemonSet.Metadata.Name} should not have unscheduled pods "
                    + $"(desired {desired}, found {scheduled} scheduled); waiting for its pods to be recreated";
            }

            var hash = DriverPods.NewestRevisionHash(daemonSet, snapshot.ControllerRevisions);
            if (hash is null && owned.Count > 0 && stall is null)
            {
                stall = $"driver DaemonSet {daemonSet.Metadata.NamespaceProperty}/{daemonSet.Metadata.Name} has no ControllerRevision yet";
            }

            foreach (var pod in owned)
            {
                if (string.IsNullOrEmpty(pod.Spec?.NodeName) || !nodesByName.TryGetValue(pod.Spec.NodeName, out var node)
                    || byNode.ContainsKey(node.Metadata.Name))
                {
                    continue;
                }

                var inSync = hash is not null && DriverPods.RevisionHashOf(pod) == hash;
                byNode[node.Metadata.Name] = new ManagedNode(node, pod, daemonSet, ManagedNode.StateOf(node), inSync);
            }
        }

        // An orphan (left by a deleted legacy DaemonSet) wins over a DaemonSet pod on the same node: it is the one to replace.
        foreach (var pod in snapshot.DriverPods.Where(DriverPods.IsOrphaned))
        {
            if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && nodesByName.TryGetValue(pod.Spec.NodeName, out var node))
            {
                byNode[node.Metadata.Name] = new ManagedNode(node, pod, null, ManagedNode.StateOf(node), false);
            }
        }

        return ([.. byNode.Values.OrderBy(n => n.Name, StringComparer.Ordinal)], stall);
    }

    /// <summary>
    /// The pods <see cref="DriverPods.IsOwnedBy"/> each DaemonSet, in the snapshot's order, from one walk over the pods:
    /// a pass used to test every pod against every driver DaemonSet (10 pools × 950 pods at 1,000 nodes), and passes
    /// run up to ten times a second while a fleet installs or upgrades.
    /// </summary>
    private static Func<V1DaemonSet, List<V1Pod>> PodsByDaemonSet(IEnumerable<V1Pod> pods)
    {
        var byUid = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        var byName = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Metadata.OwnerReferences is not { Count: > 0 } owners)
            {
                continue;
            }

            foreach (var owner in owners)
            {
                if (owner.Kind != "DaemonSet")
                {
                    continue;
                }

                if (owner.Uid is { } uid)
                {
                    Add(byUid, uid, pod);
                }

                if (owner.Name is { } name)
                {
                    Add(byName, name, pod);
                }
            }
        }

        return daemonSet => (string.IsNullOrEmpty(daemonSet.Metadata.Uid)
            ? byName.GetValueOrDefault(daemonSet.Metadata.Name ?? string.Empty)
            : byUid.GetValueOrDefault(daemonSet.Metadata.Uid)) ?? [];

        static void Add(Dictionary<string, List<V1Pod>> index, string key, V1Pod pod)
        {
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            // Pods are added one after the other, so a pod two of whose references name this DaemonSet is its last entry.
            if (list.Count == 0 || !ReferenceEquals(list[^1], pod))
            {
                list.Add(pod);
            }
        }
    }

    private sealed class Pass(UpgradeSnapshot snapshot, List<ManagedNode> nodes)
    {
        private readonly Dictionary<string, string> _projected = nodes.ToDictionary(n => n.Name, n => n.State, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _blocked = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);
        private List<(ManagedNode Node, string To)> _moved = [];

        public List<UpgradeAction> Actions { get; } = [];

        private UpgradePolicy Policy => snapshot.UpgradePolicy;

        /// <summary>Only row 1b for nodes whose pod is in sync with a known revision: no slots, no other step.</summary>
        public void FirstSightOnly()
        {
            foreach (var node in nodes.Where(n => n.State == UpgradeStates.Unknown && n.InSync))
            {
                DoneOrUnknown(node);
            }
        }

        public void Run(bool chain)
        {
            var slots = UpgradeSlots.Available(nodes, Policy);

            // Nodes that wait for a slot take them before any other step of the pass, in name order (as upstream).
            foreach (var node in nodes.Where(n => IsIdle(n.State)))
            {
                slots = Step(node, slots);
            }

            foreach (var node in nodes.Where(n => !IsIdle(n.State)))
            {
                slots = Step(node, slots);
            }

            for (var round = 1; chain && _moved.Count > 0 && round < UpgradeChaining.MaxSteps; round++)
            {
                var moved = _moved;
                _moved = [];
                var writes = NodeWritesByNode();
                foreach (var (node, to) in moved)
                {
                    if (UpgradeChaining.Continues(to, snapshot))
                    {
                        slots = Step(UpgradeChaining.Project(node, to, writes.GetValueOrDefault(node.Name) ?? []), slots);
                    }
                }
            }
        }

        private static bool IsIdle(string state) => state is UpgradeStates.Unknown or UpgradeStates.UpgradeDone or UpgradeStates.UpgradeRequired;

        private Dictionary<string, List<UpgradeAction>> NodeWritesByNode()
        {
            var writes = new Dictionary<string, List<UpgradeAction>>(StringComparer.Ordinal);
            foreach (var action in Actions)
            {
                var node = action switch
                {
                    SetNodeAnnotation a => a.Node,
                    SetNodeUnschedulable u => u.Node,
                    _ => null,
                };
                if (node is not null)
                {
                    (writes.TryGetValue(node, out var list) ? list : writes[node] = []).Add(action);
                }
            }

            return writes;
        }

        private int Step(ManagedNode node, int slots)
        {
            switch (node.State)
            {
                case UpgradeStates.Unknown:
                case UpgradeStates.UpgradeDone:
                    DoneOrUnknown(node);
                    break;
                case UpgradeStates.UpgradeRequired when snapshot.Maintenance is { } maintenance:
                    RequestMaintenance(node, maintenance);
                    break;
                case UpgradeStates.UpgradeRequired:
                    return UpgradeRequired(node, slots);
                case UpgradeStates.CordonRequired:
                    CordonRequired(node);
                    break;
                case UpgradeStates.WaitForJobsRequired:
                    WaitForJobs(node);
                    break;
                case UpgradeStates.PodDeletionRequired:
                    Move(node, UpgradeStates.DrainRequired, "pod deletion is not enabled");
                    break;
                case UpgradeStates.DrainRequired:
                    DrainRequired(node);
                    break;
                case UpgradeStates.PodRestartRequired:
                    PodRestart(node);
                    break;
                case UpgradeStates.UpgradeFailed:
                    Failed(node);
                    break;
                case UpgradeStates.ValidationRequired:
                    // Validation is never enabled here; a node left in this state (by another operator) would
                    // otherwise wait forever, so it continues as if validation had passed.
                    Finish(node, "validation is not enabled");
                    break;
                case UpgradeStates.NodeMaintenanceRequired when snapshot.Maintenance is { } maintenance:
                    WaitForMaintenance(node, maintenance);
                    break;
                case UpgradeStates.NodeMaintenanceRequired:
                    _blocked[node.Name] = "in node-maintenance-required, which only the maintenance-operator mode handles (not enabled)";
                    break;
                case UpgradeStates.UncordonRequired:
                    Uncordon(node);
                    break;
            }

            return slots;
        }

        public UpgradeSummary Summary(IReadOnlyList<NodeProblem>? extraBlocked = null)
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var state in _projected.Values)
            {
                var key = state.Length == 0 ? "unknown" : state;
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

            foreach (var node in nodes)
            {
                if (_projected[node.Name] == UpgradeStates.UpgradeFailed && !_failed.ContainsKey(node.Name))
                {
                    _failed[node.Name] = snapshot.KnownFailureReasons.TryGetValue(node.Name, out var known)
                        ? known
                        : DriverPods.FailingReason(node.DriverPod)
                            ?? "upgrade failed (drain failed or timed out, or the driver pod did not become ready); the reason was recorded in an earlier Event";
                }
            }

            var blocked = _blocked.Where(p => _projected[p.Key] != UpgradeStates.UpgradeFailed)
                .Select(p => new NodeProblem(p.Key, p.Value));
            return new UpgradeSummary(
                counts,
                [.. (extraBlocked ?? []).Concat(blocked.OrderBy(p => p.Node, StringComparer.Ordinal))],
                [.. _failed.Where(p => _projected[p.Key] == UpgradeStates.UpgradeFailed).OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => new NodeProblem(p.Key, p.Value))]);
        }

        // Rows 1 and 1b of the transition table (docs/driver-upgrade.md).
        private void DoneOrUnknown(ManagedNode node)
        {
            var why = !node.InSync && !node.Orphaned ? "driver pod is not in sync with the newest DaemonSet revision"
                : node.WaitingForSafeLoad ? "driver waits for a safe load"
                : node.UpgradeRequested ? "upgrade requested by annotation"
                : null;
            if (why is not null)
            {
                if (node.Unschedulable && !node.WasUnschedulableBeforeUpgrade)
                {
                    Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeInitialStateUnschedulable, "true"));
                }

                Move(node, UpgradeStates.UpgradeRequired, why);
                return;
            }

            // A node first seen (no state label yet) is marked done once its driver is ready and mofed.wait says so,
            // not as soon as the pod is in sync: until then the wait-label controller owns the node, and it writes
            // upgrade-done in the same patch as mofed.wait=false (WaitLabelPlanner), so installing the driver costs
            // one node write instead of two. The node is idle either way.
            if (node.State == UpgradeStates.Unknown && DriverPods.IsReady(node.DriverPod) && node.Label(Labels.MofedWait) == "false")
            {
                Move(node, UpgradeStates.UpgradeDone, "driver pod is in sync and ready");
            }
        }

        // Row 2 of the transition table (docs/driver-upgrade.md).
        private int UpgradeRequired(ManagedNode node, int slots)
        {
            if (node.UpgradeRequested)
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeRequested, null));
            }

            if (node.SkipRequested)
            {
                _blocked[node.Name] = $"skipped: node has label {Labels.UpgradeSkip}=true";
                return slots;
            }

            if (slots <= 0 && !node.Unschedulable)
            {
                _blocked[node.Name] = "waiting for an upgrade slot (maxParallelUpgrades/maxUnavailable reached)";
                return slots;
            }

            Move(node, UpgradeStates.CordonRequired, node.Unschedulable && slots <= 0
                ? "node is already cordoned, so it proceeds without a slot"
                : "upgrade slot taken");
            return slots - 1;
        }

        // Row 3 of the transition table (docs/driver-upgrade.md).
        private void CordonRequired(ManagedNode node)
        {
            if (!node.Unschedulable)
            {
                Actions.Add(new SetNodeUnschedulable(node.Name, true));
            }

            Move(node, UpgradeStates.WaitForJobsRequired, "node cordoned");
        }

        // Row 4 of the transition table (docs/driver-upgrade.md).
        private void WaitForJobs(ManagedNode node)
        {
            var wait = Policy.WaitForCompletion;
            if (wait is null)
            {
                Move(node, UpgradeStates.DrainRequired, "no pods to wait for");
                return;
            }

            var selector = LabelSelector.Parse(wait.PodSelector);
            var running = snapshot.WaitForCompletionPods
                .Where(p => p.Spec?.NodeName == node.Name && p.Status?.Phase is "Running" or "Pending" && selector.Matches(p.Metadata.Labels))
                .Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}")
                .Order(StringComparer.Ordinal)
                .ToList();
            var startText = node.Annotation(Annotations.UpgradeWaitForPodCompletionStartTime);
            if (running.Count == 0)
            {
                ClearWaitStart(node, startText);
                Move(node, UpgradeStates.PodDeletionRequired, $"no running pods match \"{wait.PodSelector}\"");
                return;
            }

            var waitingFor = $"waiting for {running.Count} pod(s) matching \"{wait.PodSelector}\" to complete ({string.Join(", ", running.Take(3))}{(running.Count > 3 ? ", ..." : string.Empty)})";
            if (wait.Timeout <= TimeSpan.Zero)
            {
                _blocked[node.Name] = waitingFor;
                return;
            }

            if (!long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var startSeconds))
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeWaitForPodCompletionStartTime,
                    snapshot.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                _blocked[node.Name] = waitingFor;
                return;
            }

            var deadline = DateTimeOffset.FromUnixTimeSeconds(startSeconds) + wait.Timeout;
            if (snapshot.Now > deadline)
            {
                ClearWaitStart(node, startText);
                Move(node, UpgradeStates.PodDeletionRequired,
                    $"gave up waiting after {wait.Timeout.TotalSeconds:0}s for {running.Count} pod(s) matching \"{wait.PodSelector}\"");
                return;
            }

            _blocked[node.Name] = $"{waitingFor}; gives up at {deadline:u}";
        }

        // Row 6 of the transition table (docs/driver-upgrade.md).
        private void DrainRequired(ManagedNode node)
        {
            if (Policy.Drain is null)
            {
                Move(node, UpgradeStates.PodRestartRequired, "drain is disabled");
                return;
            }

            if (snapshot.DrainsInFlight.TryGetValue(node.Name, out var blocker))
            {
                if (blocker is not null)
                {
                    _blocked[node.Name] = blocker;
                }

                return;
            }

            if (snapshot.DrainOutcomes.TryGetValue(node.Name, out var outcome))
            {
                if (outcome.Succeeded)
                {
                    Move(node, UpgradeStates.PodRestartRequired, $"node drained ({outcome.EvictedPods} pod(s) evicted)");
                }
                else
                {
                    Fail(node, "drain failed: " + outcome.Error);
                }

                return;
            }

            Actions.Add(new StartDrain(node.Name, Policy.Drain));
        }

        // Row 7 of the transition table (docs/driver-upgrade.md).
        private void PodRestart(ManagedNode node)
        {
            var pod = node.DriverPod;
            if (!node.InSync)
            {
                if (!DriverPods.IsTerminating(pod))
                {
                    Actions.Add(new DeleteDriverPod(node.Name, pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid));
                }

                _blocked[node.Name] = "waiting for the driver pod to be replaced";
                return;
            }

            if (node.WaitingForSafeLoad)
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeWaitForSafeLoad, null));
            }

            if (node.DriverReady)
            {
                Finish(node, "driver pod is in sync and ready");
                return;
            }

            if (DriverPods.FailingReason(pod) is { } failing)
            {
                Fail(node, failing);
                return;
            }

            _blocked[node.Name] = "waiting for the new driver pod to become ready";
        }

        // Row 8 of the transition table (docs/driver-upgrade.md).
        private void Failed(ManagedNode node)
        {
            if (node.DriverReady && !node.Orphaned)
            {
                Finish(node, "recovered: driver pod is in sync and ready");
            }
        }

        // Row 10 of the transition table (docs/driver-upgrade.md).
        private void Uncordon(ManagedNode node)
        {
            if (node.InRequestorMode && snapshot.Maintenance is { } maintenance)
            {
                ReleaseMaintenance(node, maintenance);
                return;
            }

            if (node.InRequestorMode)
            {
                _blocked[node.Name] = "handled by the maintenance operator (requestor mode annotation present)";
                return;
            }

            if (node.Unschedulable)
            {
                Actions.Add(new SetNodeUnschedulable(node.Name, false));
            }

            Move(node, UpgradeStates.UpgradeDone, "node uncordoned");
        }

        // Row M1, upgrade-required in requestor mode: no slot accounting (the maintenance operator has its own limits).
        private void RequestMaintenance(ManagedNode node, MaintenanceOptions maintenance)
        {
            if (node.UpgradeRequested)
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeRequested, null));
            }

            if (node.SkipRequested)
            {
                _blocked[node.Name] = $"skipped: node has label {Labels.UpgradeSkip}=true";
                return;
            }

            var name = maintenance.NodeMaintenanceName(node.Name);
            var existing = FindMaintenance(maintenance, node.Name);
            if (existing is { Deleting: true })
            {
                _blocked[node.Name] = $"waiting for the previous NodeMaintenance {existing.Namespace}/{existing.Name} to be deleted";
                return;
            }

            if (existing is null)
            {
                Actions.Add(new CreateNodeMaintenance(node.Name, maintenance.Namespace, name, maintenance.RequestorId, Policy.WaitForCompletion, Policy.Drain));
            }
            else if (!existing.IsRequestedBy(maintenance.RequestorId))
            {
                if (!maintenance.SharesMaintenance)
                {
                    _blocked[node.Name] = $"NodeMaintenance {maintenance.Namespace}/{name} belongs to requestor {existing.RequestorId}; waiting for it to go";
                    return;
                }

                Actions.Add(new AddNodeMaintenanceRequestor(maintenance.Namespace, name, maintenance.RequestorId, existing.ResourceVersion));
            }

            Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeRequestorMode, "true"));
            Move(node, UpgradeStates.NodeMaintenanceRequired, $"requested NodeMaintenance {maintenance.Namespace}/{name}");
        }

        // Row M2, node-maintenance-required: the maintenance operator cordons and drains; Ready means it is done.
        private void WaitForMaintenance(ManagedNode node, MaintenanceOptions maintenance)
        {
            var existing = FindMaintenance(maintenance, node.Name);
            if (existing is null || existing.Deleting || !existing.IsRequestedBy(maintenance.RequestorId))
            {
                Move(node, UpgradeStates.UpgradeRequired, $"NodeMaintenance {maintenance.Namespace}/{maintenance.NodeMaintenanceName(node.Name)} is missing");
                return;
            }

            if (existing.Ready)
            {
                Move(node, UpgradeStates.PodRestartRequired, $"NodeMaintenance {existing.Namespace}/{existing.Name} is Ready (node cordoned and drained)");
                return;
            }

            _blocked[node.Name] = $"waiting for NodeMaintenance {existing.Namespace}/{existing.Name} to become Ready";
        }

        // Row M3, uncordon-required of a requestor node: give the node back; the maintenance operator uncordons it.
        private void ReleaseMaintenance(ManagedNode node, MaintenanceOptions maintenance)
        {
            if (FindMaintenance(maintenance, node.Name) is { Deleting: false } existing)
            {
                if (existing.RequestorId == maintenance.RequestorId)
                {
                    Actions.Add(new DeleteNodeMaintenance(existing.Namespace, existing.Name));
                }
                else if (existing.AdditionalRequestors.Contains(maintenance.RequestorId))
                {
                    Actions.Add(new RemoveNodeMaintenanceRequestor(existing.Namespace, existing.Name, maintenance.RequestorId, existing.ResourceVersion));
                }
            }

            Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeRequestorMode, null));
            if (node.WasUnschedulableBeforeUpgrade)
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeInitialStateUnschedulable, null));
            }

            Move(node, UpgradeStates.UpgradeDone, "NodeMaintenance released");
        }

        private NodeMaintenanceInfo? FindMaintenance(MaintenanceOptions maintenance, string node)
        {
            var name = maintenance.NodeMaintenanceName(node);
            return snapshot.NodeMaintenances.FirstOrDefault(m => m.Name == name && m.Namespace == maintenance.Namespace);
        }

        // Nodes cordoned before the upgrade stay cordoned: the admin's cordon is theirs to lift. A requestor-mode node
        // always goes through uncordon-required, where its NodeMaintenance is released.
        private void Finish(ManagedNode node, string why)
        {
            if (node.InRequestorMode && snapshot.Maintenance is not null)
            {
                Move(node, UpgradeStates.UncordonRequired, why);
                return;
            }

            if (node.WasUnschedulableBeforeUpgrade)
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeInitialStateUnschedulable, null));
                Move(node, UpgradeStates.UpgradeDone, why + "; node stays cordoned as it was before the upgrade");
                return;
            }

            Move(node, UpgradeStates.UncordonRequired, why);
        }

        private void ClearWaitStart(ManagedNode node, string? current)
        {
            if (current is not null)
            {
                Actions.Add(new SetNodeAnnotation(node.Name, Annotations.UpgradeWaitForPodCompletionStartTime, null));
            }
        }

        private void Fail(ManagedNode node, string reason)
        {
            Actions.Add(new MarkFailed(node.Name, reason));
            _projected[node.Name] = UpgradeStates.UpgradeFailed;
            _failed[node.Name] = reason;
            Event(node, true, UpgradeStates.EventReason(UpgradeStates.UpgradeFailed), reason);
        }

        // A node's whole upgrade is two Normal Events on the node, its start (into upgrade-required) and its end (back to
        // upgrade-done), plus Warnings for a failure and for each distinct drain blocker: an Event per step cost more
        // API requests than the upgrade itself. The steps are in the logs, the state label and status.upgrade.
        private void Move(ManagedNode node, string to, string why)
        {
            Actions.Add(new SetNodeState(node.Name, to));
            _projected[node.Name] = to;
            _moved.Add((node, to));
            var from = node.State.Length == 0 ? "unknown" : node.State;
            if (to == UpgradeStates.UpgradeRequired || (to == UpgradeStates.UpgradeDone && node.State != UpgradeStates.Unknown))
            {
                Event(node, false, UpgradeStates.EventReason(to), $"{from} -> {to}: {why}");
            }
        }

        // Normal Events go on the node only; the policy gets the Warnings (a failed node), where someone has to act.
        private void Event(ManagedNode node, bool warning, string reason, string message)
        {
            Actions.Add(new RecordEvent(EventTarget.Node, node.Name, warning, reason, message));
            if (warning)
            {
                Actions.Add(new RecordEvent(EventTarget.Policy, node.Name, warning, reason, $"node {node.Name}: {message}"));
            }
        }
    }
}
