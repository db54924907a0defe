using NetworkOperator.Api.Components;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering;

/// <summary>
/// Every state of this assembly, found by reflection and put in the sync order of the component descriptors
/// (<see cref="ComponentCatalog"/>), which is also the <c>appliedStates</c> order. A state without a descriptor is a
/// programming error.
/// </summary>
public static class ComponentStates
{
    public static IReadOnlyList<IComponentState<NicClusterPolicy>> ClusterPolicy { get; } = Discover<NicClusterPolicy>(ComponentCatalog.ClusterPolicy);

    public static IReadOnlyList<IComponentState<NicNodePolicy>> NodePolicy { get; } = Discover<NicNodePolicy>(ComponentCatalog.NodePolicy);

    private static List<IComponentState<T>> Discover<T>(IReadOnlyList<ComponentDescriptor> components)
    {
        var order = components.Select(c => c.StateName).ToList();
        var states = typeof(ComponentStates).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IComponentState<T>).IsAssignableFrom(t))
            .Select(t => (IComponentState<T>)Activator.CreateInstance(t, nonPublic: true)!)
            .ToList();
        foreach (var state in states.Where(s => !order.Contains(s.Name)))
        {
            throw new InvalidOperationException($"state {state.Name} ({state.GetType().Name}) has no component descriptor for {typeof(T).Name} in ComponentCatalog");
        }

        return [.. states.OrderBy(s => order.IndexOf(s.Name))];
    }
}
