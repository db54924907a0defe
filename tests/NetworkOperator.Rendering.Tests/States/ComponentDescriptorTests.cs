using k8s;
using k8s.Models;
using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
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

    [Fact]
    public void A_component_waits_for_the_driver_exactly_when_its_pods_select_mofed_wait_false()
    {
        var outcomes = Examples.All.Where(e => e.Golden.StartsWith("nic", StringComparison.Ordinal)).SelectMany(e => Examples.Render(e).Outcomes).ToList();
        foreach (var component in ComponentCatalog.ClusterPolicy)
        {
            var templates = outcomes.Where(o => o.State == component.StateName).SelectMany(o => o.Objects).Select(PodSpecOf).OfType<V1PodSpec>().ToList();
            Assert.NotEmpty(templates);
            var selectsReleased = templates.Any(t => t.NodeSelector?.TryGetValue(Labels.MofedWait, out var wait) == true && wait == "false");
            Assert.True(component.WaitsForDriver == selectsReleased, $"{component.StateName}: WaitsForDriver {component.WaitsForDriver}, pods select mofed.wait=false: {selectsReleased}");
        }
    }

    private static V1PodSpec? PodSpecOf(IKubernetesObject<V1ObjectMeta> o) => o switch
    {
        V1DaemonSet ds => ds.Spec.Template.Spec,
        V1Deployment d => d.Spec.Template.Spec,
        _ => null,
    };

    private static IEnumerable<string> StateNamesImplementing<TPolicy>() =>
        typeof(ComponentStates).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IComponentState<TPolicy>).IsAssignableFrom(t))
            .Select(t => ((IComponentState<TPolicy>)Activator.CreateInstance(t, nonPublic: true)!).Name);
}
