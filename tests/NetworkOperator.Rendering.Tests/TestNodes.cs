using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Rendering.Tests;

internal static class TestNodes
{
    public static V1Node Nic(string name, string os = "ubuntu", string version = "22.04", string kernel = "5.15.0-91-generic", string arch = "amd64", params V1Taint[] taints)
    {
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    [Labels.NicPresent] = "true",
                    [Labels.OsReleaseId] = os,
                    [Labels.OsReleaseVersionId] = version,
                    [Labels.KernelVersionFull] = kernel,
                    [Labels.Arch] = arch,
                    [Labels.Hostname] = name,
                },
            },
            Spec = new V1NodeSpec { Taints = taints.Length == 0 ? null : [.. taints] },
            Status = new V1NodeStatus { NodeInfo = new V1NodeSystemInfo { ContainerRuntimeVersion = "containerd://1.7.2" } },
        };
    }

    public static V1Node Cpu(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [Labels.Arch] = "amd64", [Labels.Hostname] = name } },
    };
}
