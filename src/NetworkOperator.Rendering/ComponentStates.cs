using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering;

/// <summary>
/// Every state of this assembly, found by reflection and put in the contract order of <see cref="StateNames"/>
/// (sync order and <c>appliedStates</c> order). A state whose name is not in that list is a programming error.
/// </summary>
public static class ComponentStates
{
    public static IReadOnlyList<IComponentState<NicClusterPolicy>> ClusterPolicy { get; } = Discover<NicClusterPolicy>(StateNames.NicClusterPolicyOrder);

    public static IReadOnlyList<IComponentState<NicNodePolicy>> NodePolicy { get; } = Discover<NicNodePolicy>(StateNames.NicNodePolicyOrder);

    private static List<IComponentState<T>> Discover<T>(IReadOnlyList<string> order)
    {
        var states = typeof(ComponentStates).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IComponentState<T>).IsAssignableFrom(t))
            .Select(t => (IComponentState<T>)Activator.CreateInstance(t, nonPublic: true)!)
            .ToList();
        foreach (var state in states.Where(s => !order.Contains(s.Name)))
        {
            throw new InvalidOperationException($"state {state.Name} ({state.GetType().Name}) is not in StateNames' order for {typeof(T).Name}");
        }

        return [.. states.OrderBy(s => IndexOf(order, s.Name))];
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

}
