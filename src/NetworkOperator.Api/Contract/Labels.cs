namespace NetworkOperator.Api.Contract;

/// <summary>Label keys and values that users, tools and the upstream operator rely on; byte-identical to upstream.</summary>
public static class Labels
{
    /// <summary>On every rendered object: the name of the state that owns it.</summary>
    public const string State = "nvidia.network-operator.state";

    /// <summary>On objects of the per-policy states: <see cref="DsOwnerClusterPolicy"/> or <c>nnp-&lt;name&gt;</c>.</summary>
    public const string DsOwner = "ds-owner";

    public const string DsOwnerClusterPolicy = "NicClusterPolicy";

    /// <summary>On OFED driver DaemonSets and pods, with an empty value.</summary>
    public const string OfedDriver = "nvidia.com/ofed-driver";

    /// <summary>On NIC configuration daemon pods, with an empty value.</summary>
    public const string NicConfigurationDaemon = "nvidia.com/nic-configuration-daemon";

    /// <summary>Marks driver DaemonSets in the per-pool format (value "1"); its absence means a legacy single DaemonSet.</summary>
    public const string MofedDsFormatVersion = "mofed-ds-format-version";

    public const string MofedWait = "network.nvidia.com/operator.mofed.wait";
    public const string NicConfigurationWait = "network.nvidia.com/operator.nic-configuration.wait";

    // Node Feature Discovery labels the operator reads.
    public const string NicPresent = "feature.node.kubernetes.io/pci-15b3.present";
    public const string OsReleaseId = "feature.node.kubernetes.io/system-os_release.ID";
    public const string OsReleaseVersionId = "feature.node.kubernetes.io/system-os_release.VERSION_ID";
    public const string KernelVersionFull = "feature.node.kubernetes.io/kernel-version.full";
    public const string OsTreeVersion = "feature.node.kubernetes.io/system-os_release.OSTREE_VERSION";
    public const string Arch = "kubernetes.io/arch";
    public const string Hostname = "kubernetes.io/hostname";

    // Driver upgrade keys (node labels and a pod label).
    public const string UpgradeState = "nvidia.com/ofed-driver-upgrade-state";
    public const string UpgradeSkip = "nvidia.com/ofed-driver-upgrade.skip";
    public const string UpgradeDrainSkip = "nvidia.com/ofed-driver-upgrade-drain.skip";

    /// <summary>Appended to every drain pod selector so the operator's own pod is never evicted.</summary>
    public const string DrainSkipSelector = UpgradeDrainSkip + "!=true";

    /// <summary>Set by the DaemonSet controller on pods; compared with the newest ControllerRevision.</summary>
    public const string ControllerRevisionHash = "controller-revision-hash";

    public static string DsOwnerForNodePolicy(string policyName) => "nnp-" + policyName;
}
