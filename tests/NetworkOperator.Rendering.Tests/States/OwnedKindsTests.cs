using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Tests.States;

/// <summary>
/// A policy's controller watches only the kinds its states declare, so an object of an undeclared kind would not wake
/// it when changed or deleted: every rendered object's kind must be declared by the state that rendered it.
/// </summary>
public class OwnedKindsTests
{
    public static TheoryData<string> PolicyExamples() =>
        [.. Examples.All.Where(e => e.Golden.StartsWith("nicclusterpolicy", StringComparison.Ordinal) || e.Golden.StartsWith("nicnodepolicy", StringComparison.Ordinal)).Select(e => e.Golden)];

    [Theory]
    [MemberData(nameof(PolicyExamples))]
    public void Each_rendered_object_has_a_kind_its_state_declares(string example)
    {
        var (_, outcomes) = Examples.Render(Examples.All.Single(e => e.Golden == example));
        var policyOutcomes = outcomes.Where(o => o.Kind is NicClusterPolicy.KubeKind or NicNodePolicy.KubeKind).ToList();
        Assert.NotEmpty(policyOutcomes);
        Assert.All(policyOutcomes, o => Assert.Null(o.Error));
        foreach (var outcome in policyOutcomes)
        {
            var declared = outcome.Kind == NicClusterPolicy.KubeKind
                ? ComponentStates.ClusterPolicy.Single(s => s.Name == outcome.State).OwnedKinds
                : ComponentStates.NodePolicy.Single(s => s.Name == outcome.State).OwnedKinds;
            Assert.NotEmpty(outcome.Objects);
            Assert.All(outcome.Objects, o => Assert.True(
                declared.Any(k => k.ApiVersion == o.ApiVersion && k.Kind == o.Kind),
                $"{outcome.State} renders {o.ApiVersion}/{o.Kind} {o.Metadata.Name} but does not declare that kind"));
        }
    }
}
