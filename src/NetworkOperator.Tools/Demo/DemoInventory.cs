using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// The small realistic inventory: two Ubuntu 22.04 NIC nodes on one kernel, one on another kernel, one RHEL 9.4 NIC
/// node and one CPU-only node (the same shape as examples/nodes.yaml).
/// </summary>
internal static class DemoInventory
{
    public static IReadOnlyList<V1Node> Nodes() =>
    [
        Node("worker-1", "ubuntu", "22.04", "5.15.0-91-generic", "Ubuntu 22.04.4 LTS", nic: true),
        Node("worker-2", "ubuntu", "22.04", "5.15.0-91-generic", "Ubuntu 22.04.4 LTS", nic: true),
        Node("worker-3", "ubuntu", "22.04", "5.15.0-105-generic", "Ubuntu 22.04.4 LTS", nic: true),
        Node("worker-4", "rhel", "9.4", "5.14.0-427.13.1.el9_4.x86_64", "Red Hat Enterprise Linux 9.4 (Plow)", nic: true),
        Node("cpu-1", "ubuntu", "22.04", "5.15.0-91-generic", "Ubuntu 22.04.4 LTS", nic: false),
    ];

    private static V1Node Node(string name, string os, string version, string kernel, string osImage, bool nic)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Labels.Arch] = "amd64",
            [Labels.Hostname] = name,
            ["kubernetes.io/os"] = "linux",
            [Labels.OsReleaseId] = os,
            [Labels.OsReleaseVersionId] = version,
            [Labels.KernelVersionFull] = kernel,
        };
        if (nic)
        {
            labels[Labels.NicPresent] = "true";
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Status = new V1NodeStatus
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("64"), ["memory"] = new("256Gi"), ["pods"] = new("110") },
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("63"), ["memory"] = new("250Gi"), ["pods"] = new("110") },
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64", KernelVersion = kernel, OsImage = osImage, OperatingSystem = "linux", KubeletVersion = "v1.32.4",
                    ContainerRuntimeVersion = os == "rhel" ? "cri-o://1.29.1" : "containerd://1.7.13", BootID = name, MachineID = name,
                    KubeProxyVersion = "v1.32.4", SystemUUID = name,
                },
            },
        };
    }
}
