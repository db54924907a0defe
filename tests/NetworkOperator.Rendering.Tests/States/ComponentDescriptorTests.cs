using NetworkOperator.Api.Components;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Tests.States;

/// <summary>Every state has a component descriptor and every descriptor a state, for each policy kind.</summary>
public class ComponentDescriptorTests
{
    [Fact]
    public void Each_NicClusterPolicy_state_has_a_descriptor_and_each_descriptor_a_state()
    {
        Assert.Equal(
            ComponentCatalog.ClusterPolicy.Select(c => c.StateName).Order(StringComparer.Ordinal),
            StateNamesImplementing<NicClusterPolicy>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_NicNodePolicy_state_has_a_per_policy_descriptor_and_each_such_descriptor_a_state()
    {
        Assert.Equal(
            ComponentCatalog.NodePolicy.Select(c => c.StateName).Order(StringComparer.Ordinal),
            StateNamesImplementing<NicNodePolicy>().Order(StringComparer.Ordinal));
        Assert.Equal(ComponentCatalog.NodePolicy.ToHashSet(), ComponentCatalog.ClusterPolicy.Where(c => c.PerPolicy).ToHashSet());
    }

    [Fact]
    public void A_state_is_enabled_exactly_when_its_descriptor_finds_the_section()
    {
        var full = Examples.Render(Examples.All.Single(e => e.Golden == "nicclusterpolicy-full")).Input.Resources.OfType<NicClusterPolicy>().Single();
        var empty = Policies.Cluster(_ => { });
        foreach (var state in ComponentStates.ClusterPolicy)
        {
            var component = ComponentCatalog.Find(state.Name)!;
            Assert.True(state.IsEnabled(full), state.Name);
            Assert.True(component.IsConfigured(full.Spec), state.Name);
            Assert.False(state.IsEnabled(empty), state.Name);
            Assert.False(component.IsConfigured(empty.Spec), state.Name);
        }

        var node = Policies.Node("a", s => s.OfedDriver = Policies.Ofed());
        foreach (var state in ComponentStates.NodePolicy)
        {
            Assert.Equal(state.IsEnabled(node), ComponentCatalog.Find(state.Name)!.IsConfigured(node.Spec));
        }
    }

    private static IEnumerable<string> StateNamesImplementing<TPolicy>() =>
        typeof(ComponentStates).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IComponentState<TPolicy>).IsAssignableFrom(t))
            .Select(t => ((IComponentState<TPolicy>)Activator.CreateInstance(t, nonPublic: true)!).Name);
}
