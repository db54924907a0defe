namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>One OS/kernel combination that synthetic nodes are spread over (one OFED DaemonSet per pool upstream).</summary>
public sealed record NodePool(string OsId, string OsVersion, string Kernel, string OsImage, string ContainerRuntimeVersion, string Arch = "amd64")
{
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
