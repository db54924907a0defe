using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// The apply decision as a pure function of what should be, what is and who owns it, shared by the controllers'
/// <see cref="ObjectApplier"/> and <c>diff</c>'s planner so the preview and the operator can never disagree.
/// </summary>
/// <param name="Action">What to do.</param>
/// <param name="Reason">Why, for updates, conflicts and deletes (a log line or a preview note); null otherwise.</param>
/// <param name="DriftedField">For an update that restores our write: the first field someone else changed or removed.</param>
public sealed record ApplyDecision(ApplyAction Action, string? Reason = null, string? DriftedField = null)
{
    private static readonly ApplyDecision UnchangedDecision = new(ApplyAction.Unchanged);

    /// <summary>
    /// Decides one object. <paramref name="desired"/> null asks about an object the owner no longer renders. The
    /// desired object carries its revision annotation; a live object with the same revision, controlled by the owner and
    /// still holding every field the desired one sets, is unchanged. The live owner references of other policies are
    /// checked with <paramref name="isLiveOwner"/> (a shared object rendered by two policies stays with the first).
    /// </summary>
    public static ApplyDecision Decide(KubeObject? desired, KubeObject? live, Owner owner, Func<string, bool> isLiveOwner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(isLiveOwner);
        if (desired is null)
        {
            return live is not null && live.Metadata.DeletionTimestamp is null && owner.Controls(live.Metadata)
                ? new ApplyDecision(ApplyAction.Delete, "no longer rendered")
                : UnchangedDecision;
        }

        if (live is null)
        {
            return new ApplyDecision(ApplyAction.Create);
        }

        var controlled = owner.Controls(live.Metadata);
        if (!controlled && RivalController(live.Metadata, owner, isLiveOwner) is { } rival)
        {
            return new ApplyDecision(ApplyAction.Conflict, $"controlled by {rival.Kind}/{rival.Name}, which keeps it");
        }

        if (!controlled)
        {
            return new ApplyDecision(ApplyAction.Update, "adopted: not controlled by this resource yet");
        }

        var revision = RevisionOf(desired.Metadata);
        if (revision is null || RevisionOf(live.Metadata) != revision)
        {
            return new ApplyDecision(ApplyAction.Update, "revision changed");
        }

        return ObjectDrift.Find(desired, live, revision) is { } field
            ? new ApplyDecision(ApplyAction.Update, $"{field} was changed or removed on the cluster", field)
            : UnchangedDecision;
    }

    private static V1OwnerReference? RivalController(V1ObjectMeta live, Owner owner, Func<string, bool> isLiveOwner) =>
        (live.OwnerReferences ?? []).FirstOrDefault(r => r.Controller == true && r.Uid != owner.Uid
            && r.ApiVersion?.StartsWith(ApiGroup.Group + "/", StringComparison.Ordinal) == true && isLiveOwner(r.Uid));

    private static string? RevisionOf(V1ObjectMeta meta) =>
        meta.Annotations is { } a && a.TryGetValue(Annotations.Revision, out var value) && value.Length > 0 ? value : null;
}
