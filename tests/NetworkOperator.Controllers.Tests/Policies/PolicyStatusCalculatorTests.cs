using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.Tests.Policies;

public sealed class PolicyStatusCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AllReadyGivesReadyWithComponentConditionsAndObservedGeneration()
    {
        var status = PolicyStatusCalculator.Compute(null,
            [StateResult.Ready(StateNames.MultusCni), StateResult.Ignore(StateNames.IPoIBCni), StateResult.Ready(StateNames.Ofed)], 7, T0);

        Assert.Equal(SyncStates.Ready, status.State);
        Assert.Equal([StateNames.MultusCni, StateNames.IPoIBCni, StateNames.Ofed], status.AppliedStates!.Select(a => a.Name));
        Assert.Equal([ConditionTypes.MultusCniReady, ConditionTypes.OfedDriverReady, ConditionTypes.Ready], status.Conditions!.Select(c => c.Type));
        Assert.All(status.Conditions!, c => Assert.Equal(7, c.ObservedGeneration));
        var ready = status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("True", ConditionReasons.AllComponentsReady), (ready.Status, ready.Reason));
        Assert.Equal(ConditionReasons.ComponentReady, status.Conditions![0].Reason);
    }

    [Fact]
    public void NotReadyAndErrorStatesGiveTheirReasonsAndAggregate()
    {
        var status = PolicyStatusCalculator.Compute(null,
            [StateResult.NotReady(StateNames.Ofed, "waiting for pods"), StateResult.Error(StateNames.NvIpamCni, "bad image")], 1, T0);

        Assert.Equal(SyncStates.NotReady, status.State);
        var ofed = status.Conditions!.Single(c => c.Type == ConditionTypes.OfedDriverReady);
        Assert.Equal(("False", ConditionReasons.ComponentNotReady, "waiting for pods"), (ofed.Status, ofed.Reason, ofed.Message));
        var ipam = status.Conditions!.Single(c => c.Type == ConditionTypes.NvIpamReady);
        Assert.Equal(("False", ConditionReasons.ComponentError, "bad image"), (ipam.Status, ipam.Reason, ipam.Message));
        var ready = status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.ComponentError, "One or more components are in error state: state-nv-ipam-cni"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void The_aggregate_names_the_states_that_are_not_ready_upstreams_words_first()
    {
        var status = PolicyStatusCalculator.Compute(null,
        [
            StateResult.Ready(StateNames.MultusCni), StateResult.NotReady(StateNames.Ofed, "waiting for pods"),
            StateResult.NotReady(StateNames.RdmaDevicePlugin, "waiting for the driver"), StateResult.Ignore(StateNames.NvIpamCni),
        ], 1, T0);

        var ready = status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(ConditionReasons.ComponentsNotReady, ready.Reason);
        Assert.Equal($"{PolicyStatusCalculator.NotReadyMessage}: {StateNames.Ofed}, {StateNames.RdmaDevicePlugin}", ready.Message);

        var many = PolicyStatusCalculator.Compute(null,
            [.. new[] { StateNames.MultusCni, StateNames.Ofed, StateNames.RdmaDevicePlugin, StateNames.NvIpamCni, StateNames.SriovDevicePlugin }
                .Select(n => StateResult.NotReady(n, "x"))], 1, T0);
        Assert.EndsWith(" and 2 more", many.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppliedStatesAreUpsertedInFirstSeenOrderAndConditionsOfAbsentStatesArePruned()
    {
        var first = PolicyStatusCalculator.Compute(null, [StateResult.Ready(StateNames.MultusCni), StateResult.Ready(StateNames.Ofed)], 1, T0);
        var second = PolicyStatusCalculator.Compute(first,
            [StateResult.Ignore(StateNames.MultusCni), StateResult.NotReady(StateNames.Ofed, "x"), StateResult.Ready(StateNames.NvIpamCni)], 2, T0.AddMinutes(1));

        Assert.Equal([StateNames.MultusCni, StateNames.Ofed, StateNames.NvIpamCni], second.AppliedStates!.Select(a => a.Name));
        Assert.Equal(SyncStates.Ignore, second.AppliedStates![0].State);
        Assert.DoesNotContain(second.Conditions!, c => c.Type == ConditionTypes.MultusCniReady);
    }

    [Fact]
    public void LastTransitionTimeIsKeptWhileStatusDoesNotFlip()
    {
        var first = PolicyStatusCalculator.Compute(null, [StateResult.NotReady(StateNames.Ofed, "a")], 1, T0);
        var same = PolicyStatusCalculator.Compute(first, [StateResult.NotReady(StateNames.Ofed, "b")], 1, T0.AddMinutes(5));
        var flipped = PolicyStatusCalculator.Compute(same, [StateResult.Ready(StateNames.Ofed)], 1, T0.AddMinutes(9));

        var t0 = T0.UtcDateTime;
        Assert.Equal(t0, same.Conditions!.Single(c => c.Type == ConditionTypes.OfedDriverReady).LastTransitionTime);
        Assert.Equal(t0.AddMinutes(9), flipped.Conditions!.Single(c => c.Type == ConditionTypes.OfedDriverReady).LastTransitionTime);
    }

    [Fact]
    public void ForcedErrorNeverReportsReadyTrue()
    {
        var status = PolicyStatusCalculator.Compute(null, [], 3, T0, SyncStates.Error, "node selector overlap detected: x");

        Assert.Equal(SyncStates.Error, status.State);
        Assert.Equal("node selector overlap detected: x", status.Reason);
        var ready = Assert.Single(status.Conditions!);
        Assert.Equal(("False", ConditionReasons.ComponentError), (ready.Status, ready.Reason));
    }

    [Fact]
    public void ReasonIsClearedOnceTheSpecialCaseIsOver()
    {
        var overlap = PolicyStatusCalculator.Compute(null, [], 3, T0, SyncStates.Error, "overlap");
        var fixedStatus = PolicyStatusCalculator.Compute(overlap, [StateResult.Ready(StateNames.Ofed)], 4, T0);

        Assert.Null(fixedStatus.Reason);
        Assert.Equal(SyncStates.Ready, fixedStatus.State);
    }

    [Fact]
    public void MessagesAreBounded()
    {
        var status = PolicyStatusCalculator.Compute(null, [StateResult.NotReady(StateNames.Ofed, new string('x', 5000))], 1, T0);

        Assert.True(status.AppliedStates![0].Message!.Length <= StatusMessages.MaxLength);
        Assert.Equal("a, b, c and 2 more", StatusMessages.Names(["e", "c", "a", "b", "d"]));
    }
}
