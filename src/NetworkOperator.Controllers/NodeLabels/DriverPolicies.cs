namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// The policy facts the wait labels depend on: whether the NicClusterPolicy deploys the driver and the NIC
/// configuration operator, and which NicNodePolicies deploy a driver on which nodes.
/// </summary>
public sealed record DriverPolicies
{
    public bool ClusterPolicyHasDriver { get; init; }

    public bool ClusterPolicyHasNicConfigurationOperator { get; init; }

    /// <summary>
    /// Some policy deploys the driver with auto-upgrade on: nodes whose driver pod the upgrade restarts get
    /// <c>mofed.wait</c> from the upgrade's own node patches (<see cref="UpgradeWaitLabel"/>).
    /// </summary>
    public bool AutoUpgrade { get; init; }

    /// <summary>
    /// <c>ds-owner</c> values (<see cref="Api.Contract.Labels.DsOwnerClusterPolicy"/>, <c>nnp-&lt;name&gt;</c>) of the
    /// policies whose driver upgrade is on: the upgrade marks their nodes <c>upgrade-done</c> once the driver is ready
    /// and writes <c>mofed.wait=false</c> in that same patch (<see cref="UpgradeWaitLabel"/>).
    /// </summary>
    public IReadOnlySet<string> AutoUpgradeOwners { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>NicNodePolicies with <c>ofedDriver</c>: name → node selector (empty selects every node).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NodePolicyDrivers { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
}
