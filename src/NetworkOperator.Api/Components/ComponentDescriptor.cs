using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Api.Components;

/// <summary>
/// What the operator knows about one component apart from how it renders it: the state name, the policy section that
/// enables it, its condition type, the containers its pods run and the admission checks of its section. The validator,
/// the renderer registry, the reconcilers, the change planner and the metrics read these instead of keeping lists of
/// their own; <see cref="ComponentCatalog"/> holds them in sync order.
/// </summary>
public sealed class ComponentDescriptor
{
    /// <summary>Value of the state label on rendered objects and of <c>appliedStates[].name</c>.</summary>
    public required string StateName { get; init; }

    /// <summary>
    /// JSON name of the policy section: the key <c>containerResources</c> entries are checked against and the name a
    /// NicNodePolicy conflict reports.
    /// </summary>
    public required string Section { get; init; }

    /// <summary>Field path of the section, e.g. <c>spec.secondaryNetwork.multus</c>.</summary>
    public required string SectionPath { get; init; }

    /// <summary>The section in a policy spec, or null when the policy does not configure this component.</summary>
    public required Func<INicPolicySpec, object?> SectionOf { get; init; }

    /// <summary>Per-component condition type in policy status.</summary>
    public required string ConditionType { get; init; }

    /// <summary>The container names of the component's pods, which <c>containerResources</c> entries may target.</summary>
    public required IReadOnlyList<string> Containers { get; init; }

    /// <summary>
    /// The CNI binaries (the <c>type</c> or <c>ipam.type</c> a network's config names) the component installs on its
    /// nodes, so a network needing one can be traced to the section that deploys it.
    /// </summary>
    public IReadOnlyList<string> CniBinaries { get; init; } = [];

    /// <summary>
    /// True when the component's pods select <c>mofed.wait=false</c>: they must not start on a node before the driver
    /// the policies deploy there is ready (they would bind the inbox driver's devices and be removed when the driver
    /// pod arrives).
    /// </summary>
    public bool WaitsForDriver { get; init; }

    /// <summary>The images the section configures, each checked like the renderer resolves it.</summary>
    public required IReadOnlyList<ComponentImage> Images { get; init; }

    /// <summary>
    /// Section rules beyond the image checks, run when the section is set. Internal because the collector is: rules
    /// belong to this assembly's validator, which reports them in the same result as every other rule.
    /// </summary>
    internal Action<INicPolicySpec, ValidationCollector>? Check { get; init; }

    /// <summary>True when a NicNodePolicy can carry this component too (its objects then carry <c>ds-owner</c>).</summary>
    public bool PerPolicy => ComponentCatalog.NodePolicy.Contains(this);

    public bool IsConfigured(INicPolicySpec spec) => spec is not null && SectionOf(spec) is not null;

    /// <summary>
    /// The <c>ds-owner</c> label value of this component's objects for a policy, or null when they carry none: the
    /// per-policy components tell the NicClusterPolicy's objects from each NicNodePolicy's by it.
    /// </summary>
    public string? DsOwner(string policyKind, string policyName) => PerPolicy && policyKind is NicClusterPolicy.KubeKind or NicNodePolicy.KubeKind
        ? ComponentCatalog.PerPolicyDsOwner(policyKind, policyName)
        : null;

    public override string ToString() => StateName;
}
