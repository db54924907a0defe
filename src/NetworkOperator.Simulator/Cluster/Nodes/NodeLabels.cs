namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>Well-known node labels set by the kubelet and by Node Feature Discovery.</summary>
public static class NodeLabels
{
    public const string Hostname = "kubernetes.io/hostname";
    public const string Os = "kubernetes.io/os";
    public const string Arch = "kubernetes.io/arch";
    public const string MellanoxNicPresent = "feature.node.kubernetes.io/pci-15b3.present";
    public const string OsReleaseId = "feature.node.kubernetes.io/system-os_release.ID";
    public const string OsReleaseVersionId = "feature.node.kubernetes.io/system-os_release.VERSION_ID";
    public const string KernelVersionFull = "feature.node.kubernetes.io/kernel-version.full";
    public const string OsTreeVersion = "feature.node.kubernetes.io/system-os_release.OSTREE_VERSION";

    /// <summary>Set by OpenShift's machine config on every node: the node's OS (<c>rhcos</c>).</summary>
    public const string OpenShiftOsId = "node.openshift.io/os_id";

    public const string WorkerRole = "node-role.kubernetes.io/worker";
}
