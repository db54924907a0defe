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
/// <param name="context">The operator's context.</param>
/// <param name="driverPods">Driver pods.</param>
/// <param name="nicConfigurationPods">NIC configuration daemon pods.</param>
/// <param name="driverInSync">
/// Gives, at the start of a pass, whether a driver pod runs its DaemonSet's newest revision (from the driver upgrade's
/// caches); with it, a node the upgrade has not seen yet gets <c>upgrade-done</c> in its <c>mofed.wait=false</c> patch.
/// </param>
public sealed class WaitLabelReconciler(OperatorContext context, Informer<V1Pod> driverPods, Informer<V1Pod> nicConfigurationPods,
    Func<Func<V1Pod, bool>>? driverInSync = null) : IReconciler
{
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger("NetworkOperator.Controllers.NodeLabels");

    public static readonly ObjectKey Key = new(null, "node-wait-labels");

    // Node patches in flight at once: a rollout over a thousand nodes labels them in seconds, not one round trip each.
    private const int PatchParallelism = 8;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var plan = Plan(context, driverPods, nicConfigurationPods, driverInSync?.Invoke());
        var nodes = (context.Reader as SharedInformerFactory)?.GetInformer<V1Node>();
        await Parallel.ForEachAsync(plan.Changes, new ParallelOptions { MaxDegreeOfParallelism = PatchParallelism, CancellationToken = cancellationToken },
            async (change, ct) =>
            {
                var (node, changes) = change;
                var patch = new V1Patch(new { metadata = new { labels = changes } }, V1Patch.PatchType.StrategicMergePatch);
                var returned = await context.Client.CoreV1.PatchNodeAsync(patch, node, cancellationToken: ct).ConfigureAwait(false);

                // Into the cache at once: the next pass, often before the watch event, must not patch the same labels again.
                nodes?.Assume(returned);
                ControllersLog.NodeLabelled(_logger, node, changes);
            }).ConfigureAwait(false);

        return plan.Requeue ? ReconcileResult.After(context.Environment.NotReadyRequeue) : ReconcileResult.Done;
    }

    /// <summary>The wait-label changes the caches call for now (what a reconcile would write); also the policies' readiness gate.</summary>
    public static WaitLabelPlan Plan(OperatorContext context, Informer<V1Pod> driverPods, Informer<V1Pod> nicConfigurationPods,
        Func<V1Pod, bool>? driverInSync = null)
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

        return WaitLabelPlanner.Plan(context.Reader.List<V1Node>(), driverPods.Store.List(), nicConfigurationPods.Store.List(), policies,
            driverInSync);
    }
}
