using NetworkOperator.Api;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.States;

/// <summary>
/// A state both a NicClusterPolicy and any NicNodePolicy can carry. Both policies reduce to the same inputs — their
/// section and the node group they target — so subclasses render only from those and never see the policy kind.
/// </summary>
public abstract class NodeGroupState<TSection> : IComponentState<NicClusterPolicy>, IComponentState<NicNodePolicy>
    where TSection : class
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<ResourceKind> OwnedKinds { get; }

    public bool IsEnabled(NicClusterPolicy policy) => policy is not null && Section(policy.Spec) is not null;

    public bool IsEnabled(NicNodePolicy policy) => policy is not null && Section(policy.Spec) is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return RenderSection(Section(policy.Spec)!, NodeGroup.For(policy), facts);
    }

    public RenderResult Render(NicNodePolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return RenderSection(Section(policy.Spec)!, NodeGroup.For(policy), facts);
    }

    /// <summary>The policy section this state renders, or null when the policy does not configure it.</summary>
    protected abstract TSection? Section(INicPolicySpec spec);

    protected abstract RenderResult RenderSection(TSection section, NodeGroup group, ClusterFacts facts);
}
