using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>
/// Builds N Ready nodes spread round-robin over OS/kernel pools with NFD labels. Deterministic: the same options give the
/// same nodes, so tests and benchmarks are reproducible. CPU-only nodes are spread evenly through the fleet rather than
/// clustered at one end, so any prefix of the fleet has roughly the configured share.
/// </summary>
public static class SyntheticNodeGenerator
{
    public static IReadOnlyList<V1Node> Generate(SyntheticNodeOptions options, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        if (options.CpuOnlyShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CpuOnlyShare must be between 0 and 1.");
        }

        if (options.Pools.Count == 0)
        {
            throw new ArgumentException("At least one node pool is required.", nameof(options));
        }

        var width = Math.Max(4, options.Count.ToString(CultureInfo.InvariantCulture).Length);
        var nodes = new List<V1Node>(options.Count);
        var cpuOnlyAssigned = 0;
        var nicIndex = 0;
        for (var i = 0; i < options.Count; i++)
        {
            // Bresenham-style spreading: node i is CPU-only when the running quota crosses an integer.
            var cpuOnly = (int)Math.Floor((i + 1) * options.CpuOnlyShare) > cpuOnlyAssigned;
            if (cpuOnly)
            {
                cpuOnlyAssigned++;
            }

            var pool = options.Pools[cpuOnly ? i % options.Pools.Count : nicIndex++ % options.Pools.Count];
            var name = options.NamePrefix + (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            nodes.Add(Build(name, pool, !cpuOnly, options, now));
        }

        return nodes;
    }

    public static V1Node Build(string name, NodePool pool, bool hasMellanoxNic, SyntheticNodeOptions options, DateTime now)
    {
        var labels = new Dictionary<string, string>
        {
            [NodeLabels.Hostname] = name,
            [NodeLabels.Os] = "linux",
            [NodeLabels.Arch] = pool.Arch,
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = pool.Arch,
            [NodeLabels.OsReleaseId] = pool.OsId,
            [NodeLabels.OsReleaseVersionId] = pool.OsVersion,
            [NodeLabels.KernelVersionFull] = pool.Kernel,
        };
        if (hasMellanoxNic)
        {
            labels[NodeLabels.MellanoxNicPresent] = "true";
        }

        if (pool.OsTreeVersion is { } osTree)
        {
            // What an OpenShift worker carries: its role, the OS id from machine config and NFD's RHCOS build.
            labels[NodeLabels.OsTreeVersion] = osTree;
            labels[NodeLabels.OpenShiftOsId] = pool.OsId;
            labels[NodeLabels.WorkerRole] = string.Empty;
        }

        // Stable identifiers derived from the name keep generated fleets reproducible.
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..32];
        var pods = options.MaxPods.ToString(CultureInfo.InvariantCulture);
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus
            {
                Capacity = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(options.Cpu),
                    ["memory"] = new(options.Memory),
                    ["pods"] = new(pods),
                    ["ephemeral-storage"] = new("959786032Ki"),
                },
                Allocatable = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(options.AllocatableCpu),
                    ["memory"] = new(options.AllocatableMemory),
                    ["pods"] = new(pods),
                    ["ephemeral-storage"] = new("884538805627"),
                },
                Conditions = [NodeConditions.Ready(now)],
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = pool.Arch,
                    OperatingSystem = "linux",
                    OsImage = pool.OsImage,
                    KernelVersion = pool.Kernel,
                    ContainerRuntimeVersion = pool.ContainerRuntimeVersion,
                    KubeletVersion = options.KubeletVersion,
                    KubeProxyVersion = options.KubeletVersion,
                    MachineID = id,
                    SystemUUID = new Guid(Convert.FromHexString(id)).ToString(),
                    BootID = new Guid(Convert.FromHexString(id[..32])).ToString(),
                },
                Addresses =
                [
                    new V1NodeAddress { Type = "Hostname", Address = name },
                ],
            },
        };
    }
}
