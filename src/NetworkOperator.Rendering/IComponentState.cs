using NetworkOperator.Api;

namespace NetworkOperator.Rendering;

/// <summary>
/// One component of a policy (a "state"): which section enables it and how that section becomes Kubernetes objects.
/// <typeparamref name="TPolicy"/> is <c>NicClusterPolicy</c> or <c>NicNodePolicy</c>; the driver and device-plugin
/// states implement both. Implementations are discovered by <see cref="ComponentStates"/>, so adding a component is
/// its descriptor in <c>ComponentCatalog</c>, one file under <c>States/</c> and its golden test.
/// </summary>
public interface IComponentState<in TPolicy>
{
    /// <summary>The state name: value of the state label and of <c>appliedStates[].name</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The kind of every object <see cref="Render"/> can return, for any policy and cluster. The policy's controller
    /// watches the union of its states' kinds for changes to objects it controls, and no other kind.
    /// </summary>
    IReadOnlyList<ResourceKind> OwnedKinds { get; }

    /// <summary>True when the policy has the section this state renders; false means its objects must be deleted.</summary>
    bool IsEnabled(TPolicy policy);

    /// <summary>
    /// The objects to apply, in apply order, each labelled with the state (and <c>ds-owner</c>) and stamped with its
    /// revision. Only called when <see cref="IsEnabled"/> is true. Throws <see cref="RenderException"/> when the policy
    /// cannot be rendered; nothing of the state should then be applied.
    /// </summary>
    RenderResult Render(TPolicy policy, ClusterFacts facts);
}
