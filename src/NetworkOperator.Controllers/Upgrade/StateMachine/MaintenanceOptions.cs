namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Maintenance-operator ("requestor") mode (docs/driver-upgrade.md): instead of cordoning and draining itself, the upgrade asks the
/// NVIDIA maintenance operator for each node through a <c>NodeMaintenance</c> object and waits until it is Ready.
/// <see cref="RequestorId"/> is the policy's own ID (the base ID for the NicClusterPolicy, <c>&lt;base&gt;-nnp-&lt;name&gt;</c>
/// for a NicNodePolicy).
/// </summary>
public sealed record MaintenanceOptions(string RequestorId, string Namespace, string NodeMaintenancePrefix)
{
    /// <summary>The library's default name prefix; only with it are NodeMaintenance objects shared between requestors.</summary>
    public const string DefaultPrefix = "nvidia-operator";

    /// <summary>The requestor ID the Helm chart sets when <c>MAINTENANCE_OPERATOR_REQUESTOR_ID</c> is not given.</summary>
    public const string DefaultRequestorId = "nvidia.doca-driver-upgrade";

    public string NodeMaintenanceName(string node) => $"{NodeMaintenancePrefix}-{node}";

    /// <summary>Another requestor's object of the same name is joined (additionalRequestors) rather than left alone.</summary>
    public bool SharesMaintenance => NodeMaintenancePrefix == DefaultPrefix;

    /// <summary>The options of one policy: the cluster policy uses the base ID, a node policy its own derived ID.</summary>
    public static MaintenanceOptions For(PolicyIdentity policy, string? baseRequestorId, string ns, string prefix)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var id = string.IsNullOrWhiteSpace(baseRequestorId) ? DefaultRequestorId : baseRequestorId.Trim();
        return new MaintenanceOptions(policy.Kind == Api.V1Alpha1.NicNodePolicy.KubeKind ? $"{id}-nnp-{policy.Name}" : id, ns, prefix);
    }
}
