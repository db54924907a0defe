using k8s.Models;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// The other objects cross-object rules look at (section conflicts, node-selector overlap). Empty lists skip those
/// rules, which is what upstream does when it cannot list them.
/// </summary>
public sealed class ValidationContext
{
    public static ValidationContext None { get; } = new();

    public IReadOnlyList<NicClusterPolicy> ClusterPolicies { get; init; } = [];

    /// <summary>Stored NicNodePolicies; a stored version of the policy being validated is replaced by the incoming one.</summary>
    public IReadOnlyList<NicNodePolicy> NodePolicies { get; init; } = [];

    public IReadOnlyList<V1Node> Nodes { get; init; } = [];
}
