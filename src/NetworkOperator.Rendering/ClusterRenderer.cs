using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Networks;

namespace NetworkOperator.Rendering;

/// <summary>
/// Renders a whole set of custom resources the way the operator would reconcile them: the NicClusterPolicy's states
/// in contract order, then each NicNodePolicy (by name), then the networks (by kind, then name). Every state renders
/// independently, so one failing state does not hide the others' objects or errors.
/// </summary>
public static class ClusterRenderer
{
    private static readonly MacvlanNetworkRenderer Macvlan = new();
    private static readonly HostDeviceNetworkRenderer HostDevice = new();
    private static readonly IPoIBNetworkRenderer IPoIB = new();

    public static IReadOnlyList<StateOutcome> RenderAll(IEnumerable<IKubernetesObject<V1ObjectMeta>> resources, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(facts);
        var list = resources.ToList();
        var outcomes = new List<StateOutcome>();
        foreach (var policy in list.OfType<NicClusterPolicy>().OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            outcomes.AddRange(Render(policy, facts));
        }

        foreach (var policy in list.OfType<NicNodePolicy>().OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            outcomes.AddRange(Render(policy, facts));
        }

        foreach (var network in list.OfType<MacvlanNetwork>().OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            outcomes.Add(Run(network.Kind, network.Metadata?.Name, Macvlan.StateName, () => Macvlan.Render(network, facts)));
        }

        foreach (var network in list.OfType<HostDeviceNetwork>().OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            outcomes.Add(Run(network.Kind, network.Metadata?.Name, HostDevice.StateName, () => HostDevice.Render(network, facts)));
        }

        foreach (var network in list.OfType<IPoIBNetwork>().OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            outcomes.Add(Run(network.Kind, network.Metadata?.Name, IPoIB.StateName, () => IPoIB.Render(network, facts)));
        }

        return outcomes;
    }

    public static IEnumerable<StateOutcome> Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var name = policy.Metadata?.Name;
        if (name != ApiGroup.NicClusterPolicyName)
        {
            // The operator ignores any other instance; rendering it would preview objects that never appear.
            yield return new StateOutcome(policy.Kind, name ?? string.Empty, "-", null, new RenderException($"only the NicClusterPolicy named {ApiGroup.NicClusterPolicyName} is reconciled; \"{name}\" would be ignored", "metadata.name"));
            yield break;
        }

        foreach (var state in ComponentStates.ClusterPolicy.Where(s => s.IsEnabled(policy)))
        {
            yield return Run(policy.Kind, name, state.Name, () => state.Render(policy, facts));
        }
    }

    public static IEnumerable<StateOutcome> Render(NicNodePolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        foreach (var state in ComponentStates.NodePolicy.Where(s => s.IsEnabled(policy)))
        {
            yield return Run(policy.Kind, policy.Metadata?.Name, state.Name, () => state.Render(policy, facts));
        }
    }

    private static StateOutcome Run(string kind, string? name, string state, Func<RenderResult> render)
    {
        try
        {
            return new StateOutcome(kind, name ?? string.Empty, state, render(), null);
        }
        catch (RenderException ex)
        {
            return new StateOutcome(kind, name ?? string.Empty, state, null, ex);
        }
    }
}
