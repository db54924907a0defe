using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Writes <c>status.upgrade</c> of a policy with a JSON merge patch of that field alone, and only when it changed, so the
/// policy controller's own status fields are never overwritten by the upgrade controller (and the other way round,
/// as long as the policy controller keeps the live <c>status.upgrade</c> when it replaces the status).
/// </summary>
internal static class UpgradeStatusWriter
{
    public static DriverUpgradeStatus? ToStatus(UpgradeSummary summary) =>
        summary.ManagedNodes == 0 && summary.Blocked.Count == 0
            ? null
            : new DriverUpgradeStatus
            {
                NodeCountsByState = new Dictionary<string, int>(summary.NodeCountsByState, StringComparer.Ordinal),
                BlockedNodes = summary.Blocked.Count == 0 ? null : [.. summary.Blocked.Select(p => new UpgradeNodeProblem { Name = p.Node, Reason = p.Reason })],
                FailedNodes = summary.Failed.Count == 0 ? null : [.. summary.Failed.Select(p => new UpgradeNodeProblem { Name = p.Node, Reason = p.Reason })],
            };

    /// <summary>
    /// Whether the two would serialize differently (null and empty stay distinct, as in JSON). Compared field by
    /// field: every upgrade pass asks, up to ten a second, and serializing both through reflection was a tenth of the
    /// native operator's pass.
    /// </summary>
    public static bool Differs(DriverUpgradeStatus? live, DriverUpgradeStatus? desired)
    {
        if (live is null || desired is null)
        {
            return !ReferenceEquals(live, desired);
        }

        return !SameCounts(live.NodeCountsByState, desired.NodeCountsByState)
            || !SameProblems(live.BlockedNodes, desired.BlockedNodes)
            || !SameProblems(live.FailedNodes, desired.FailedNodes);

        static bool SameCounts(Dictionary<string, int>? a, Dictionary<string, int>? b) =>
            a is null || b is null
                ? a is null && b is null
                : a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

        static bool SameProblems(List<UpgradeNodeProblem>? a, List<UpgradeNodeProblem>? b)
        {
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            if (a.Count != b.Count)
            {
                return false;
            }

            for (var i = 0; i < a.Count; i++)
            {
                if (a[i].Name != b[i].Name || a[i].Reason != b[i].Reason)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Some node is not yet done or failed (still unknown at install, or between <c>upgrade-required</c> and done): the
    /// counts will move again soon.
    /// </summary>
    public static bool InProgress(DriverUpgradeStatus? status) =>
        status?.NodeCountsByState?.Any(p => p.Value > 0 && p.Key is not (UpgradeStates.UpgradeDone or UpgradeStates.UpgradeFailed)) == true;

    /// <summary>Returns true when a request was sent.</summary>
    public static async Task<bool> WriteAsync(IKubernetes client, string plural, string name, DriverUpgradeStatus? live,
        DriverUpgradeStatus? desired, CancellationToken cancellationToken)
    {
        if (!Differs(live, desired))
        {
            return false;
        }

        var desiredJson = JsonSerializer.SerializeToNode(desired);

        JsonNode? upgrade = null;
        if (desiredJson is JsonObject desiredObject)
        {
            // Merge patch merges maps: states no longer present must be removed explicitly.
            var counts = desiredObject["nodeCountsByState"] as JsonObject ?? [];
            foreach (var state in live?.NodeCountsByState?.Keys ?? Enumerable.Empty<string>())
            {
                if (!counts.ContainsKey(state))
                {
                    counts[state] = null;
                }
            }

            desiredObject["nodeCountsByState"] = counts.DeepClone();
            desiredObject["blockedNodes"] ??= null;
            desiredObject["failedNodes"] ??= null;
            upgrade = desiredObject;
        }

        var patch = new JsonObject { ["status"] = new JsonObject { ["upgrade"] = upgrade?.DeepClone() } };
        await client.CustomObjects.PatchClusterCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }
}
