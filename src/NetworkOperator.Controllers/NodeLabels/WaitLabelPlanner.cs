using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// The wait-label algorithm (docs/operator.md) as a pure function of (nodes, driver and NIC-configuration pods, policies).
/// <para><c>mofed.wait</c>: on a node running a driver pod of a policy that still deploys the driver, "false" once
/// every such pod's <c>mofed-container</c> is ready, else "true". A node that still runs a driver pod whose policy
/// no longer deploys it gets "true" (the pod is terminating; requeue). A node no driver policy manages gets "false"
/// when it has a Mellanox NIC (inbox driver) and loses the label otherwise. A managed node without a driver pod yet
/// is held: "false" there becomes "true" before the driver pod arrives (<see cref="AwaitsDriver"/>), an unlabelled one
/// is left alone; so is a node whose driver pod the upgrade is restarting (<see cref="UpgradeWaitLabel"/>).</para>
/// <para>The hold is a deliberate change from upstream, which leaves such a node at "false" until its driver pod
/// shows up: on a node labelled "false" by the inbox rule (the operator ran before the policy deployed a driver) the
/// components that wait for the driver started against the inbox driver, advertised its devices, and were removed
/// again seconds later when the driver pod came. The policies' gated states are not applied while a hold is
/// pending, so they never land on such a node.</para>
/// <para>Two deliberate savings on install, where every NIC node would otherwise be patched two or three times:
/// "true" is not written to a node that has no <c>mofed.wait</c> label at all (no component selecting
/// <c>mofed.wait=false</c> runs there either way; a node that already has the label still gets "true"), and with
/// auto-upgrade on, a node without an upgrade state yet whose driver pods are in sync with their DaemonSet's newest
/// revision gets <c>upgrade-done</c> in the same patch as <c>mofed.wait=false</c>: exactly what the driver upgrade
/// would write a moment later in a patch of its own (<see cref="UpgradeWaitLabel"/>).</para>
/// <para><c>nic-configuration.wait</c> (only when the NIC configuration operator is not deployed, since its daemon
/// owns the label then): "true" while a daemon pod is still on the node, else "false" on NIC nodes, else removed.</para>
/// </summary>
public static class WaitLabelPlanner
{
    public const string DriverContainer = "mofed-container";

    /// <param name="nodes">Every node.</param>
    /// <param name="driverPods">Driver pods of every policy.</param>
    /// <param name="nicConfigurationPods">NIC configuration daemon pods.</param>
    /// <param name="policies">What the policies deploy.</param>
    /// <param name="driverInSync">
    /// Whether a driver pod runs its DaemonSet's newest revision; null when unknown, and then no upgrade state is written.
    /// </param>
    public static WaitLabelPlan Plan(IReadOnlyList<V1Node> nodes, IReadOnlyList<V1Pod> driverPods,
        IReadOnlyList<V1Pod> nicConfigurationPods, DriverPolicies policies, Func<V1Pod, bool>? driverInSync = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(driverPods);
        ArgumentNullException.ThrowIfNull(nicConfigurationPods);
        ArgumentNullException.ThrowIfNull(policies);
        var changes = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        var requeue = false;

        var podsByNode = driverPods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName)).ToLookup(p => p.Spec.NodeName, StringComparer.Ordinal);
        var configPodNodes = nicConfigurationPods.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName))
            .Select(p => p.Spec.NodeName).ToHashSet(StringComparer.Ordinal);

        foreach (var node in nodes)
        {
            var name = node.Metadata?.Name;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var labels = node.Metadata!.Labels ?? new Dictionary<string, string>();
            var hasNic = HasNic(labels);
            var nodeChanges = new Dictionary<string, string?>(StringComparer.Ordinal);

            var pods = podsByNode[name].ToList();
            var (mofed, mofedRequeue) = DesiredMofedWait(labels, hasNic, pods, policies);
            requeue |= mofedRequeue;
            if (mofed is { } desired && Differs(labels, Labels.MofedWait, desired.Value)
                && !WrittenByTheUpgrade(labels, policies)
                && !(desired.Value == "true" && !labels.ContainsKey(Labels.MofedWait)))
            {
                nodeChanges[Labels.MofedWait] = desired.Value;
                if (desired.Value == "false" && driverInSync is not null && FirstSeenByTheUpgrade(labels, pods, policies)
                    && pods.All(driverInSync))
                {
                    nodeChanges[Labels.UpgradeState] = UpgradeStates.UpgradeDone;
                }
            }

            if (!policies.ClusterPolicyHasNicConfigurationOperator)
            {
                string? value;
                if (configPodNodes.Contains(name))
                {
                    value = "true";
                    requeue = true;
                }
                else
                {
                    value = hasNic ? "false" : null;
                }

                if (Differs(labels, Labels.NicConfigurationWait, value))
                {
                    nodeChanges[Labels.NicConfigurationWait] = value;
                }
            }

            if (nodeChanges.Count > 0)
            {
                changes[name] = nodeChanges;
            }
        }

        return new WaitLabelPlan(changes, requeue);
    }

    /// <summary>
    /// Whether some node the policies deploy a driver to is still labelled <c>mofed.wait=false</c> without a driver pod:
    /// the planner is about to hold it ("true"), and a component that waits for the driver applied now would start
    /// there against the inbox driver. Stops at the first such node; nodes without the label cost one lookup each.
    /// </summary>
    /// <param name="nodes">Every node.</param>
    /// <param name="driverPodsOn">A node's driver pods (of every policy).</param>
    /// <param name="policies">What the policies deploy.</param>
    public static bool AwaitsDriver(IReadOnlyList<V1Node> nodes, Func<string, IReadOnlyList<V1Pod>> driverPodsOn, DriverPolicies policies)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(driverPodsOn);
        ArgumentNullException.ThrowIfNull(policies);
        if (!policies.ClusterPolicyHasDriver && policies.NodePolicyDrivers.Count == 0)
        {
            return false;
        }

        foreach (var node in nodes)
        {
            // The planner's hold (DesiredMofedWait) on a node it writes (Plan), cheapest test first.
            if (node.Metadata?.Labels is { } labels && !string.IsNullOrEmpty(node.Metadata.Name) && Released(labels)
                && !WrittenByTheUpgrade(labels, policies) && IsManaged(labels, HasNic(labels), policies)
                && driverPodsOn(node.Metadata.Name).Count == 0)
            {
                return true;
            }
        }

        return false;
    }

    // A node without a (known) upgrade state whose every driver pod belongs to a policy whose upgrade is on: the
    // upgrade marks it upgrade-done once its driver is ready and in sync.
    private static bool FirstSeenByTheUpgrade(IDictionary<string, string> labels, List<V1Pod> pods, DriverPolicies policies) =>
        (labels.TryGetValue(Labels.UpgradeState, out var state) && UpgradeStates.IsKnown(state) ? state : UpgradeStates.Unknown) == UpgradeStates.Unknown
        && pods.Count > 0
        && pods.All(p => policies.AutoUpgradeOwners.Contains(OwnerOf(p)));

    private static string OwnerOf(V1Pod pod) =>
        pod.Metadata?.Labels is { } l && l.TryGetValue(Labels.DsOwner, out var value) ? value : Labels.DsOwnerClusterPolicy;

    /// <summary>Null result means "leave the label as it is".</summary>
    private static (Desired? Value, bool Requeue) DesiredMofedWait(IDictionary<string, string> labels, bool hasNic,
        List<V1Pod> pods, DriverPolicies policies)
    {
        var active = pods.Where(p => IsActive(p, policies)).ToList();
        if (active.Count > 0)
        {
            return (new Desired(active.All(IsDriverReady) ? "false" : "true"), false);
        }

        if (pods.Count > 0)
        {
            // Driver pods of a removed driver section: agents must keep waiting until the pods are gone.
            return (new Desired("true"), true);
        }

        if (IsManaged(labels, hasNic, policies))
        {
            // Held: see AwaitsDriver.
            return (Released(labels) ? new Desired("true") : null, false);
        }

        return (new Desired(hasNic ? "false" : null), false);
    }

    private static bool IsActive(V1Pod pod, DriverPolicies policies)
    {
        var owner = pod.Metadata?.Labels is { } l && l.TryGetValue(Labels.DsOwner, out var value) ? value : null;
        if (owner is null or Labels.DsOwnerClusterPolicy)
        {
            // Pods from before the ds-owner label belonged to the cluster policy.
            return policies.ClusterPolicyHasDriver;
        }

        return policies.NodePolicyDrivers.Keys.Any(n => Labels.DsOwnerForNodePolicy(n) == owner);
    }

    private static bool IsManaged(IDictionary<string, string> labels, bool hasNic, DriverPolicies policies) =>
        (policies.ClusterPolicyHasDriver && hasNic)
        || policies.NodePolicyDrivers.Values.Any(selector => selector.All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value));

    private static bool HasNic(IDictionary<string, string> labels) => labels.TryGetValue(Labels.NicPresent, out var nic) && nic == "true";

    private static bool Released(IDictionary<string, string> labels) => labels.TryGetValue(Labels.MofedWait, out var wait) && wait == "false";

    // The upgrade, not the planner, writes mofed.wait of a node whose driver pod it is restarting.
    private static bool WrittenByTheUpgrade(IDictionary<string, string> labels, DriverPolicies policies) =>
        policies.AutoUpgrade && UpgradeWaitLabel.HeldByUpgrade(labels);

    private static bool IsDriverReady(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null
        && (pod.Status?.ContainerStatuses ?? []).Any(c => c.Name == DriverContainer && c.Ready);

    private static bool Differs(IDictionary<string, string> labels, string key, string? value) =>
        labels.TryGetValue(key, out var current) ? current != value : value is not null;

    private readonly record struct Desired(string? Value);
}
