using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Which steps may follow one another within a single pass (<see cref="UpgradeStateMachine.DecideChained"/>). Moving a
/// node one step per pass, as upstream does, costs one node write per step; but most steps are decided from nothing
/// but the node itself, so a node can go, say, from <c>upgrade-done</c> through the slot and the cordon straight to
/// <c>drain-required</c> in one atomic write. A chain stops where the next step needs what the snapshot cannot know
/// yet: a drain's outcome, the replaced driver pod, the wait-for-completion pods (listed only for nodes already
/// waiting), a NodeMaintenance this pass creates, or a finished node (which never frees a slot in the same pass).
/// </summary>
public static class UpgradeChaining
{
    /// <summary>More than the longest chain (done → required → cordon → wait → pod deletion → drain).</summary>
    public const int MaxSteps = 8;

    /// <summary>Whether a node that just moved to <paramref name="state"/> takes its next step in the same pass.</summary>
    public static bool Continues(string state, UpgradeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return state switch
        {
            // In requestor mode the next step creates a NodeMaintenance the snapshot does not hold yet.
            UpgradeStates.UpgradeRequired => snapshot.Maintenance is null,
            UpgradeStates.WaitForJobsRequired => snapshot.UpgradePolicy.WaitForCompletion is null,
            UpgradeStates.CordonRequired or UpgradeStates.PodDeletionRequired or UpgradeStates.DrainRequired
                or UpgradeStates.PodRestartRequired or UpgradeStates.UncordonRequired => true,
            _ => false,
        };
    }

    /// <summary>
    /// The node as it will be once this pass's writes so far have landed: <paramref name="state"/> in its label, the
    /// annotation and cordon changes of <paramref name="writes"/> applied. A copy; the snapshot's node is not touched.
    /// </summary>
    public static ManagedNode Project(ManagedNode node, string state, IEnumerable<UpgradeAction> writes)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(writes);
        var source = node.Node;
        var labels = new Dictionary<string, string>(source.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Labels.UpgradeState] = state,
        };
        var annotations = new Dictionary<string, string>(source.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var unschedulable = source.Spec?.Unschedulable;
        foreach (var write in writes)
        {
            switch (write)
            {
                case SetNodeAnnotation { Value: null } a:
                    annotations.Remove(a.Key);
                    break;
                case SetNodeAnnotation a:
                    annotations[a.Key] = a.Value;
                    break;
                case SetNodeUnschedulable u:
                    unschedulable = u.Unschedulable;
                    break;
            }
        }

        var projected = new V1Node
        {
            ApiVersion = source.ApiVersion,
            Kind = source.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = source.Metadata.Name,
                Uid = source.Metadata.Uid,
                ResourceVersion = source.Metadata.ResourceVersion,
                Labels = labels,
                Annotations = annotations,
            },
            Spec = new V1NodeSpec { Unschedulable = unschedulable },
            Status = source.Status,
        };
        return node with { Node = projected, State = state };
    }
}
