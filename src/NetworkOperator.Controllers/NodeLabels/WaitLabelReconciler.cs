using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// Maintains <c>mofed.wait</c> and <c>nic-configuration.wait</c> on nodes (docs/operator.md). Every relevant change (policies,
/// driver and NIC-configuration pods, node labels) maps to one key, so the whole cluster is planned at once from the
/// caches and only nodes whose labels change are patched.
/// </summary>
public sealed class WaitLabelReconciler(OperatorContext context, Informer<V1Pod> driverPods, Informer<V1Pod> nicConfigurationPods) : IReconciler
{
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger("NetworkOperator.Controllers.NodeLabels");

    public static readonly ObjectKey Key = new(null, "node-wait-labels");

    // Node patches in flight at once: a rollout over a thousand nodes labels them in seconds, not one round trip each.
    private const int PatchParallelism = 8;

    /// <summary>
    /// How long a node handed over to the driver upgrade (<see cref="WaitLabelPlan.HandedOver"/>) waits for it before
    /// this controller writes <c>mofed.wait=false</c> itself: the upgrade normally writes it within a pass, but a
    /// label that nobody writes would keep every component off the node, so the hand-over is bounded.
    /// </summary>
    public static readonly TimeSpan HandOverGrace = TimeSpan.FromSeconds(10);

    // When each node was first seen handed over; only this controller's single worker touches it.
    private readonly Dictionary<string, DateTimeOffset> _handedOverSince = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var plan = Plan(context, driverPods, nicConfigurationPods);
        var nodes = (context.Reader as SharedInformerFactory)?.GetInformer<V1Node>();
        var (writes, wakeIn) = DueWrites(plan);
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = PatchParallelism, CancellationToken = cancellationToken },
            async (change, ct) =>
            {
                var (node, changes) = change;
                var patch = new V1Patch(new { metadata = new { labels = changes } }, V1Patch.PatchType.StrategicMergePatch);
                var returned = await context.Client.CoreV1.PatchNodeAsync(patch, node, cancellationToken: ct).ConfigureAwait(false);

                // Into the cache at once: the next pass, often before the watch event, must not patch the same labels again.
                nodes?.Assume(returned);
                ControllersLog.NodeLabelled(_logger, node, changes);
            }).ConfigureAwait(false);

        if (wakeIn is { } wake && (!plan.Requeue || wake < context.Environment.NotReadyRequeue))
        {
            return ReconcileResult.After(wake);
        }

        return plan.Requeue ? ReconcileResult.After(context.Environment.NotReadyRequeue) : ReconcileResult.Done;
    }

    // The plan's changes minus the nodes still within their hand-over grace, and when the first of those runs out.
    private (List<KeyValuePair<string, IReadOnlyDictionary<string, string?>>> Writes, TimeSpan? WakeIn) DueWrites(WaitLabelPlan plan)
    {
        var now = context.Time.GetUtcNow();
        foreach (var node in _handedOverSince.Keys.Where(n => !plan.HandedOverNodes.Contains(n)).ToList())
        {
            _handedOverSince.Remove(node);
        }

        var writes = new List<KeyValuePair<string, IReadOnlyDictionary<string, string?>>>(plan.Changes.Count);
        TimeSpan? wakeIn = null;
        foreach (var change in plan.Changes)
        {
            if (plan.HandedOverNodes.Contains(change.Key))
            {
                if (!_handedOverSince.TryGetValue(change.Key, out var since))
                {
                    _handedOverSince[change.Key] = since = now;
                }

                var left = since + HandOverGrace - now;
                if (left > TimeSpan.Zero)
                {
                    wakeIn = wakeIn is { } w && w < left ? w : left;
                    continue;
                }

                ControllersLog.HandOverExpired(_logger, change.Key, HandOverGrace.TotalSeconds);
            }

            writes.Add(change);
        }

        return (writes, wakeIn);
    }

    /// <summary>The wait-label changes the caches call for now (what a reconcile would write); also the policies' readiness gate.</summary>
    public static WaitLabelPlan Plan(OperatorContext context, Informer<V1Pod> driverPods, Informer<V1Pod> nicConfigurationPods)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(driverPods);
        ArgumentNullException.ThrowIfNull(nicConfigurationPods);
        var cluster = context.Reader.Get<NicClusterPolicy>(null, Api.Contract.ApiGroup.NicClusterPolicyName);
        var live = cluster is not null && cluster.Metadata.DeletionTimestamp is null;
        var nodePolicies = context.Reader.List<NicNodePolicy>().Where(p => p.Metadata.DeletionTimestamp is null && p.Spec.OfedDriver is not null).ToList();
        var policies = new DriverPolicies
        {
            ClusterPolicyHasDriver = live && cluster!.Spec.OfedDriver is not null,
            ClusterPolicyHasNicConfigurationOperator = live && cluster!.Spec.NicConfigurationOperator is not null,
            AutoUpgrade = (live && cluster!.Spec.OfedDriver?.UpgradePolicy?.AutoUpgrade == true)
                || nodePolicies.Any(p => p.Spec.OfedDriver!.UpgradePolicy?.AutoUpgrade == true),
            AutoUpgradeOwners = nodePolicies.Where(p => p.Spec.OfedDriver!.UpgradePolicy?.AutoUpgrade == true)
                .Select(p => Api.Contract.Labels.DsOwnerForNodePolicy(p.Metadata.Name))
                .Concat(live && cluster!.Spec.OfedDriver?.UpgradePolicy?.AutoUpgrade == true ? [Api.Contract.Labels.DsOwnerClusterPolicy] : [])
                .ToHashSet(StringComparer.Ordinal),
            NodePolicyDrivers = nodePolicies
                .ToDictionary(p => p.Metadata.Name,
                    p => (IReadOnlyDictionary<string, string>)(p.Spec.NodeSelector ?? new Dictionary<string, string>(StringComparer.Ordinal)),
                    StringComparer.Ordinal),
        };

        return WaitLabelPlanner.Plan(context.Reader.List<V1Node>(), driverPods.Store.List(), nicConfigurationPods.Store.List(), policies);
    }
}
