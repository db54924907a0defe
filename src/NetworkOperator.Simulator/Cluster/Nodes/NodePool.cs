namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>
/// One OS/kernel combination that synthetic nodes are spread over (one OFED DaemonSet per pool upstream).
/// <paramref name="OsTreeVersion"/> is the RHCOS build of OpenShift nodes (NFD's OSTREE_VERSION label, the Driver
/// Toolkit image tag); null elsewhere.
/// </summary>
public sealed record NodePool(string OsId, string OsVersion, string Kernel, string OsImage, string ContainerRuntimeVersion, string Arch = "amd64",
    string? OsTreeVersion = null)
{
    /// <summary>RHCOS worker pools of two OpenShift releases, as `sim --openshift` runs them.</summary>
    public static IReadOnlyList<NodePool> OpenShift { get; } =
    [
        new("rhcos", "4.16", "5.14.0-427.40.1.el9_4.x86_64", "Red Hat Enterprise Linux CoreOS 416.94.202410211619-0 (Plow)",
            "cri-o://1.29.9-5.rhaos4.16.git7a1d9b1.el9", OsTreeVersion: "416.94.202410211619-0"),
        new("rhcos", "4.17", "5.14.0-427.42.1.el9_4.x86_64", "Red Hat Enterprise Linux CoreOS 417.94.202410250757-0 (Plow)",
            "cri-o://1.30.6-3.rhaos4.17.git3d1f9c4.el9", OsTreeVersion: "417.94.202410250757-0"),
    ];

    /// <summary>Pools that exercise the operator's per-pool driver DaemonSets: two Ubuntu releases and RHEL with several kernels.</summary>
    public static IReadOnlyList<NodePool> Defaults { get; } =
    [
        new("ubuntu", "22.04", "5.15.0-91-generic", "Ubuntu 22.04.4 LTS", "containerd://1.7.13"),
        new("ubuntu", "22.04", "5.15.0-105-generic", "Ubuntu 22.04.4 LTS", "containerd://1.7.13"),
        new("ubuntu", "24.04", "6.8.0-31-generic", "Ubuntu 24.04 LTS", "containerd://1.7.19"),
        new("rhel", "9.4", "5.14.0-427.13.1.el9_4.x86_64", "Red Hat Enterprise Linux 9.4 (Plow)", "cri-o://1.29.1"),
        new("rhel", "9.4", "5.14.0-427.22.1.el9_4.x86_64", "Red Hat Enterprise Linux 9.4 (Plow)", "cri-o://1.29.1"),
    ];
}
