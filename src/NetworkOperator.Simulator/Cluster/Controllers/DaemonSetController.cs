using System.Text.Json.Nodes;
using k8s.Models;
using NetworkOperator.Simulator.Cluster.Informers;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The DaemonSet controller: keeps one pod per eligible node, rolls templates out by its update strategy, records
/// ControllerRevisions and writes the status counters. Event-driven: pod and node changes enqueue the DaemonSets they
/// concern; a sync is linear in the number of nodes and is coalesced by the work queue under bursts.
/// </summary>
internal sealed class DaemonSetController : OwningController<V1DaemonSet, V1Pod>
{
    private const string Component = "daemonset-controller";
    private readonly FailureBackoff _backoff = new();

    // What each DaemonSet generation keeps from sync to sync. Its placement on each node: the node handler marks the
    // nodes whose labels, taints or cordon changed (nothing else moves a placement) and the next sync evaluates those
    // only, so a sync costs nothing for placements while the nodes' upgrade labels and annotations churn, and a new
    // dictionary is made only when a placement changed (the planner treats each handed-out dictionary as frozen). And
    // the template's JSON, of which every daemon pod is a deep copy. A key is synced by one worker at a time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, GenerationMemo> _memos = new(StringComparer.Ordinal);

    private sealed class GenerationMemo(string uid, long generation, Dictionary<string, DaemonPlacement> placements)
    {
        private readonly Lock _lock = new();
        private HashSet<string> _dirty = new(StringComparer.Ordinal);
        private string? _template;

        public string Uid { get; } = uid;

        public long Generation { get; } = generation;

        public Dictionary<string, DaemonPlacement> Last { get; set; } = placements;

        public string TemplateJson(V1DaemonSet ds) => _template ??= DaemonPodFactory.TemplateJson(ds);

        public void MarkDirty(string node)
        {
            lock (_lock)
            {
                _dirty.Add(node);
            }
        }

        public HashSet<string> TakeDirty()
        {
            lock (_lock)
            {
                var taken = _dirty;
                _dirty = new HashSet<string>(StringComparer.Ordinal);
                return taken;
            }
        }
    }

    public DaemonSetController(ClusterContext context)
        : base(context, Component, context.DaemonSetInformer, context.PodInformer, "DaemonSet")
    {
        // As kube-controller-manager's: a new node wakes the DaemonSets that should run on it, a changed node only
        // those whose placement on it changed (a mofed.wait label flip wakes the few DaemonSets gated on it, not all),
        // and a deleted node every DaemonSet, whose pods there must go.
        context.NodeInformer.OnChange((old, node) =>
        {
            if (old is not null && node is not null && !NodeChangeMatters(old, node))
            {
                return;
            }

            // Before the DaemonSets are queued: the sync this wakes evaluates the node again.
            var name = (node ?? old)!.Metadata.Name;
            foreach (var (_, memo) in _memos)
            {
                memo.MarkDirty(name);
            }

            foreach (var ds in context.DaemonSetInformer.Items)
            {
                if (node is null || PlacementChanged(old, node, ds))
                {
                    Queue.Add(Informer<V1DaemonSet>.KeyOf(ds));
                }
            }
        });
    }

    // kube-controller-manager's --concurrent-daemonset-syncs defaults to 2. Fewer workers than events also means each
    // sync (linear in the nodes) takes in more pod changes at once, which is most of a rollout's controller cost.
    protected override int Workers => Math.Min(Context.Options.Workers, 2);

    private static bool PlacementChanged(V1Node? old, V1Node node, V1DaemonSet ds)
    {
        var current = DaemonSetEligibility.Evaluate(node, ds);
        return old is null ? current.ShouldRun : DaemonSetEligibility.Evaluate(old, ds) != current;
    }

    private static bool NodeChangeMatters(V1Node old, V1Node node) =>
        !DictionaryEquals(old.Metadata.Labels, node.Metadata.Labels) ||
        !TaintsEqual(old.Spec?.Taints, node.Spec?.Taints) ||
        old.Spec?.Unschedulable != node.Spec?.Unschedulable;

    private static bool TaintsEqual(IList<V1Taint>? a, IList<V1Taint>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) &&
        (a is null || a.Zip(b!).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value && p.First.Effect == p.Second.Effect));

    private static bool DictionaryEquals(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var ds = Context.DaemonSetInformer.Get(key);
        if (ds is null || ds.Metadata.DeletionTimestamp is not null)
        {
            _memos.TryRemove(key, out _);
            return;
        }

        Context.Counters.DaemonSetSynced(key);

        var ns = ds.Metadata.NamespaceProperty;
        var hash = ControllerRevisionHash.Compute(ds.Spec.Template, ds.Status?.CollisionCount);
        await EnsureRevisionAsync(ds, hash, cancellationToken);

        var memo = Memo(key, ds);
        var placements = Placements(memo, ds);

        var podsByNode = DaemonSetPlanner.GroupByNode(Children.Of(ds.Metadata.Uid));
        var now = Context.Now;
        var plan = DaemonSetPlanner.Plan(ds, hash, placements, podsByNode, now);

        var pods = plan.NodesNeedingPods.Select(node => DaemonPodFactory.Create(ds, node, hash, memo.TemplateJson(ds))).ToList();
        var (created, refused) = await PodCreator.CreateAsync(Context, ds, pods, Component, cancellationToken);
        await Parallel.ForEachAsync(plan.PodsToDelete, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (pod, ct) =>
        {
            try
            {
                var result = await Context.Api.DeleteAsync(Context.Pods, ns, pod.Metadata.Name, null, ct);
                Context.Counters.PodDeleted();
                if (result.Deleted)
                {
                    Context.PodInformer.AssumeDeleted(result.Object);
                }
                else
                {
                    Context.PodInformer.Assume(result.Object);
                }
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        });
        if (created > 0)
        {
            await Context.RecordEventAsync(ds, "Normal", "SuccessfulCreate",
                created == 1 ? $"Created pod on node {plan.NodesNeedingPods[0]}" : $"Created {created} pods",
                Component, null, cancellationToken);
        }

        if (refused is null)
        {
            _backoff.Reset(key);
        }
        else
        {
            Queue.AddAfter(key, _backoff.Next(key));
        }

        if (!plan.IsEmpty)
        {
            podsByNode = DaemonSetPlanner.GroupByNode(Children.Of(ds.Metadata.Uid));
        }

        var status = DaemonSetStatusCalculator.Compute(ds, hash, placements, podsByNode, now);
        if (StatusChanged(ds.Status, status))
        {
            var written = await Context.PatchStatusAsync(Context.DaemonSets, ns, ds.Metadata.Name, StatusPatch(status), cancellationToken);
            Context.DaemonSetInformer.Assume(written);
        }

        // Pods that are Ready but not yet available for minReadySeconds need another look when they will be.
        if ((ds.Spec.MinReadySeconds ?? 0) > 0 && status.NumberReady > (status.NumberAvailable ?? 0))
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(1));
        }
    }

    // The generation's memo; a new DaemonSet or template starts one with every node evaluated.
    private GenerationMemo Memo(string key, V1DaemonSet ds)
    {
        var generation = ds.Metadata.Generation ?? 0;
        if (_memos.TryGetValue(key, out var memo) && memo.Uid == ds.Metadata.Uid && memo.Generation == generation)
        {
            return memo;
        }

        // Registered before the walk: a node that changes during it is marked and evaluated again by the next sync.
        memo = new GenerationMemo(ds.Metadata.Uid, generation, []);
        _memos[key] = memo;
        var tolerations = DaemonSetTolerations.WithAutomatic(ds.Spec.Template.Spec);
        var all = new Dictionary<string, DaemonPlacement>(Context.NodeInformer.Count, StringComparer.Ordinal);
        foreach (var node in Context.NodeInformer.Items)
        {
            all[node.Metadata.Name] = DaemonSetEligibility.Evaluate(node, ds.Spec.Template.Spec, tolerations);
        }

        memo.Last = all;
        return memo;
    }

    // The result is shared between syncs of the DaemonSet: read it, never change it.
    private Dictionary<string, DaemonPlacement> Placements(GenerationMemo memo, V1DaemonSet ds)
    {
        IReadOnlyList<V1Toleration>? tolerations = null;
        var last = memo.Last;
        Dictionary<string, DaemonPlacement>? next = null;
        foreach (var name in memo.TakeDirty())
        {
            var had = last.TryGetValue(name, out var before);
            if (Context.NodeInformer.Get(name) is not { } node)
            {
                if (had)
                {
                    next ??= new Dictionary<string, DaemonPlacement>(last, StringComparer.Ordinal);
                    next.Remove(name);
                }

                continue;
            }

            tolerations ??= DaemonSetTolerations.WithAutomatic(ds.Spec.Template.Spec);
            var placement = DaemonSetEligibility.Evaluate(node, ds.Spec.Template.Spec, tolerations);
            if (!had || before != placement)
            {
                next ??= new Dictionary<string, DaemonPlacement>(last, StringComparer.Ordinal);
                next[name] = placement;
            }
        }

        if (next is not null)
        {
            memo.Last = next;
        }

        return memo.Last;
    }

    private async Task EnsureRevisionAsync(V1DaemonSet ds, string hash, CancellationToken cancellationToken)
    {
        var ns = ds.Metadata.NamespaceProperty;
        var revisions = Context.RevisionInformer.Items
            .Where(r => r.Metadata.NamespaceProperty == ns && OwnerIndex<V1ControllerRevision>.Owner(r, "DaemonSet") == ds.Metadata.Uid)
            .ToList();
        var (existing, number) = ControllerRevisions.Resolve(hash, revisions);
        if (existing is null)
        {
            var revision = ControllerRevisions.Build(ds, hash, number);
            try
            {
                Context.RevisionInformer.Assume(await Context.Api.CreateAsync(Context.ControllerRevisions, ns, ClusterContext.ToJson(revision), null, cancellationToken));
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Created by an earlier sync whose watch event has not arrived yet.
            }
        }
        else if (existing.Revision != number)
        {
            Context.RevisionInformer.Assume(await Context.PatchAsync(Context.ControllerRevisions, ns, existing.Metadata.Name,
                new JsonObject { ["revision"] = number }, cancellationToken));
        }
    }

    private static bool StatusChanged(V1DaemonSetStatus? old, V1DaemonSetStatus status) =>
        old is null ||
        old.DesiredNumberScheduled != status.DesiredNumberScheduled ||
        old.CurrentNumberScheduled != status.CurrentNumberScheduled ||
        old.NumberMisscheduled != status.NumberMisscheduled ||
        old.NumberReady != status.NumberReady ||
        (old.NumberAvailable ?? 0) != (status.NumberAvailable ?? 0) ||
        (old.NumberUnavailable ?? 0) != (status.NumberUnavailable ?? 0) ||
        (old.UpdatedNumberScheduled ?? 0) != (status.UpdatedNumberScheduled ?? 0) ||
        old.ObservedGeneration != status.ObservedGeneration;

    // Merge patch: zero counters that the API omits must be removed explicitly (null), or stale values would remain.
    private static JsonObject StatusPatch(V1DaemonSetStatus status) => new()
    {
        ["desiredNumberScheduled"] = status.DesiredNumberScheduled,
        ["currentNumberScheduled"] = status.CurrentNumberScheduled,
        ["numberMisscheduled"] = status.NumberMisscheduled,
        ["numberReady"] = status.NumberReady,
        ["numberAvailable"] = status.NumberAvailable,
        ["numberUnavailable"] = status.NumberUnavailable,
        ["updatedNumberScheduled"] = status.UpdatedNumberScheduled,
        ["observedGeneration"] = status.ObservedGeneration,
    };
}
