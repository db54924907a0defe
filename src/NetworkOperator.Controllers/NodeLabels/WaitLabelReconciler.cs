using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// Maintains <c>mofed.wait</c> and <c>nic-configuration.wait</c> on nodes (docs/operator.md). Keyed by node: a driver or
/// NIC-configuration pod wakes the node it runs on, a node's label change wakes that node, and a policy change wakes
/// every node; each reconcile plans its one node from the caches (the node's pods through the pods-by-node index) and
/// patches it only when its labels change. A rollout or upgrade therefore costs work per changed node, not a
/// whole-cluster plan per pod event.
/// </summary>
/// <param name="context">The operator's context.</param>
/// <param name="driverPods">Driver pods, indexed by node (<see cref="PodsByNode"/>).</param>
/// <param name="nicConfigurationPods">NIC configuration daemon pods, indexed by node.</param>
/// <param name="driverInSync">
/// Gives, when a reconcile first needs it, whether a driver pod runs its DaemonSet's newest revision (from the driver
/// upgrade's caches); with it, a node the upgrade has not seen yet gets <c>upgrade-done</c> in its <c>mofed.wait=false</c> patch.
/// </param>
public sealed class WaitLabelReconciler(OperatorContext context, Informer<V1Pod> driverPods, Informer<V1Pod> nicConfigurationPods,
    Func<Func<V1Pod, bool>>? driverInSync = null) : IReconciler
{
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger("NetworkOperator.Controllers.NodeLabels");

    /// <summary>
    /// Node patches in flight at once (the controller's concurrent reconciles, never two for one node): a rollout over a
    /// thousand nodes labels them in seconds, not one round trip each.
    /// </summary>
    public const int Workers = 8;

    /// <summary>The key of a node's wait labels.</summary>
    public static ObjectKey KeyOf(string nodeName) => new(null, nodeName);

    /// <summary>The keys a pod's event wakes: its node's, once it is bound to one.</summary>
    public static IEnumerable<ObjectKey> KeysOf(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName) ? [] : [KeyOf(pod.Spec.NodeName)];

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var node = context.Reader.Get<V1Node>(null, key.Name);
        if (node is null)
        {
            return ReconcileResult.Done;
        }

        var nodes = (context.Reader as SharedInformerFactory)?.GetInformer<V1Node>();

        // The revision lookup behind driverInSync is only needed when the node is released and not yet seen by the upgrade.
        Func<V1Pod, bool>? inSync = null;
        if (driverInSync is not null)
        {
            Func<V1Pod, bool>? resolved = null;
            inSync = pod => (resolved ??= driverInSync())(pod);
        }

        var plan = WaitLabelPlanner.Plan([node], PodsByNode.On(driverPods, key.Name), PodsByNode.On(nicConfigurationPods, key.Name),
            Policies(context), inSync);
        foreach (var (name, changes) in plan.Changes)
        {
            var patch = new V1Patch(new { metadata = new { labels = changes } }, V1Patch.PatchType.StrategicMergePatch);
            var returned = await context.Client.CoreV1.PatchNodeAsync(patch, name, cancellationToken: cancellationToken).ConfigureAwait(false);

            // Into the cache at once: the next reconcile, often before the watch event, must not patch the same labels again.
            nodes?.Assume(returned);
            ControllersLog.NodeLabelled(_logger, name, changes);
        }

        return plan.Requeue ? ReconcileResult.After(context.Environment.NotReadyRequeue) : ReconcileResult.Done;
    }

    /// <summary>The wait-label changes the caches call for now (what a reconcile would write); also the policies' readiness gate.</summary>
    public static WaitLabelPlan Plan(OperatorContext context, Informer<V1Pod> driverPods, Informer<V1Pod> nicConfigurationPods,
        Func<V1Pod, bool>? driverInSync = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(driverPods);
        ArgumentNullException.ThrowIfNull(nicConfigurationPods);
        return WaitLabelPlanner.Plan(context.Reader.List<V1Node>(), driverPods.Store.List(), nicConfigurationPods.Store.List(), Policies(context),
            driverInSync);
    }

    /// <summary>Whether the caches show a node to hold for a driver about to reach it (<see cref="WaitLabelPlanner.AwaitsDriver"/>).</summary>
    public static bool AwaitsDriver(OperatorContext context, Informer<V1Pod> driverPods)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(driverPods);
        return WaitLabelPlanner.AwaitsDriver(context.Reader.List<V1Node>(), node => PodsByNode.On(driverPods, node), Policies(context));
    }

    private static DriverPolicies Policies(OperatorContext context)
    {
        var cluster = context.Reader.Get<NicClusterPolicy>(null, Api.Contract.ApiGroup.NicClusterPolicyName);
        var live = cluster is not null && cluster.Metadata.DeletionTimestamp is null;
        var nodePolicies = context.Reader.List<NicNodePolicy>().Where(p => p.Metadata.DeletionTimestamp is null && p.Spec.OfedDriver is not null).ToList();
        return new DriverPolicies
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
    }
}
