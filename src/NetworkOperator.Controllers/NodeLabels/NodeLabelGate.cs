using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// A policy is not ready while the operator still has node wait labels to write: the device plugins and the other
/// components that select <c>mofed.wait=false</c> only count the nodes labelled so far, so their DaemonSets look
/// complete while the labels are still being patched node by node, and a Ready declared then is followed by hundreds
/// of writes. The pending count comes from the same plan the wait-label controller carries out.
/// </summary>
public static class NodeLabelGate
{
    /// <summary>
    /// <paramref name="results"/> with the driver state (or, without one, the first ready state) turned
    /// <c>notReady</c> while <paramref name="pendingNodes"/> is above zero; unchanged otherwise.
    /// </summary>
    public static List<StateResult> Apply(List<StateResult> results, int pendingNodes) => Apply(results, () => pendingNodes);

    /// <summary>
    /// As <see cref="Apply(List{StateResult}, int)"/>, counting the pending nodes only when some state is ready to be
    /// gated: the count plans every node, and most passes of an install have nothing ready yet.
    /// </summary>
    public static List<StateResult> Apply(List<StateResult> results, Func<int> pendingNodeCount)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(pendingNodeCount);
        var index = results.FindIndex(r => r.Name == StateNames.Ofed && r.IsReady);
        if (index < 0)
        {
            index = results.FindIndex(r => r.IsReady);
        }

        if (index < 0 || pendingNodeCount() is var pendingNodes && pendingNodes <= 0)
        {
            return results;
        }

        var gated = new List<StateResult>(results);
        gated[index] = StateResult.NotReady(results[index].Name,
            $"node wait labels still to be updated on {pendingNodes} node(s); components that wait for them are not on every node yet");
        return gated;
    }
}
