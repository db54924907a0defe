using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using k8s.Models;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Turns the state results of one reconcile into the policy status (upstream's status fields and rules): <c>appliedStates</c> upserted by
/// name in first-seen order, one <c>&lt;Component&gt;Ready</c> condition per state that is not ignored, and an
/// aggregate <c>Ready</c>, all carrying <c>observedGeneration</c>. A condition keeps its <c>lastTransitionTime</c>
/// while its status does not flip, so an unchanged world yields a status equal to the previous one and no write.
/// </summary>
public static class PolicyStatusCalculator
{
    public const string ErrorMessage = "One or more components are in error state";
    public const string NotReadyMessage = "One or more components are not yet ready";

    /// <summary>Reason of <c>Ready</c> on a policy instance the operator does not act on (our addition).</summary>
    public const string IgnoredReason = "Ignored";

    public static NicPolicyStatus Compute(NicPolicyStatus? previous, IReadOnlyList<StateResult> results, long? generation,
        DateTimeOffset now, string? forcedState = null, string? reason = null, string? readyReason = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var applied = (previous?.AppliedStates ?? []).Select(a => new AppliedState { Name = a.Name, State = a.State, Message = a.Message }).ToList();
        foreach (var result in results)
        {
            var entry = applied.Find(a => a.Name == result.Name);
            if (entry is null)
            {
                entry = new AppliedState { Name = result.Name };
                applied.Add(entry);
            }

            entry.State = result.State;
            entry.Message = result.Message;
        }

        var anyError = forcedState == SyncStates.Error || results.Any(r => r.State == SyncStates.Error);
        var anyNotReady = results.Any(r => r.State is not (SyncStates.Ready or SyncStates.Ignore));
        var state = forcedState ?? (anyNotReady ? SyncStates.NotReady : SyncStates.Ready);

        var conditions = new List<V1Condition>();
        foreach (var result in results)
        {
            if (result.State == SyncStates.Ignore || ComponentCatalog.Find(result.Name)?.ConditionType is not { } type)
            {
                continue;
            }

            var (status, conditionReason) = result.State switch
            {
                SyncStates.Ready => ("True", ConditionReasons.ComponentReady),
                SyncStates.Error => ("False", ConditionReasons.ComponentError),
                _ => ("False", ConditionReasons.ComponentNotReady),
            };
            conditions.Add(Condition(previous, type, status, conditionReason, result.State == SyncStates.Ready ? string.Empty : result.Message, generation, now));
        }

        // Fix of an upstream quirk: an aggregate error (node selector overlap) is never reported as Ready=True. Upstream's
        // messages are kept as the prefix and followed by the states they mean, so the one condition scripts read says
        // which component to look at (the names change only as states do, in the write that changes appliedStates).
        var aggregate = anyError
            ? Condition(previous, ConditionTypes.Ready, "False", readyReason ?? ConditionReasons.ComponentError,
                reason ?? Naming(ErrorMessage, results.Where(r => r.State == SyncStates.Error)), generation, now)
            : anyNotReady
                ? Condition(previous, ConditionTypes.Ready, "False", ConditionReasons.ComponentsNotReady,
                    Naming(NotReadyMessage, results.Where(r => r.State is not (SyncStates.Ready or SyncStates.Ignore or SyncStates.Error))), generation, now)
                : Condition(previous, ConditionTypes.Ready, "True", ConditionReasons.AllComponentsReady, string.Empty, generation, now);
        if (forcedState == SyncStates.Ignore)
        {
            // An ignored instance deploys nothing; saying Ready=True would let automation believe it took effect.
            aggregate = Condition(previous, ConditionTypes.Ready, "False", IgnoredReason, reason ?? string.Empty, generation, now);
        }

        conditions.Add(aggregate);

        return new NicPolicyStatus
        {
            State = state,
            Reason = reason ?? KeepReason(previous, state),
            AppliedStates = applied,
            Conditions = conditions,
            Upgrade = previous?.Upgrade,
        };
    }

    /// <summary>
    /// Upstream never clears <c>reason</c>; we clear it once the special case that set it is over, otherwise a fixed
    /// overlap would keep reporting the old overlap forever.
    /// </summary>
    private static string? KeepReason(NicPolicyStatus? previous, string state) =>
        state == SyncStates.Ready || state == SyncStates.NotReady ? null : previous?.Reason;

    private static V1Condition Condition(NicPolicyStatus? previous, string type, string status, string reason, string message,
        long? generation, DateTimeOffset now) =>
        Conditions.Make(previous?.Conditions, type, status, reason, message, generation, now);

    private static string Naming(string message, IEnumerable<StateResult> states) =>
        states.Select(r => r.Name).ToList() is { Count: > 0 } names ? $"{message}: {StatusMessages.Names(names)}" : message;
}
