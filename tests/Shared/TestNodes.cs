using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Tests.Shared;

/// <summary>
/// Nodes for tests, built one way: a bare node named <c>Node(name)</c> plus what the test needs (labels, NFD's OS and
/// kernel labels, capacity and allocatable, taints, the kubelet's node info). <see cref="Nic"/> and
/// <see cref="Joined"/> are the two nodes most tests want: what the renderer sees and what a kubelet registers.
/// </summary>
internal static class TestNodes
{
    public const string Os = "ubuntu";
    public const string OsVersion = "22.04";
    public const string Kernel = "5.15.0-91-generic";

    /// <summary>A node with only its name: no labels, no spec or status beyond what the builder adds.</summary>
    public static Builder Node(string name) => new(name);

    /// <summary>
    /// A NIC node as NFD labels it and the renderer sees it: architecture, hostname, NFD's NIC, OS and kernel labels,
    /// a containerd runtime, optional taints.
    /// </summary>
    public static V1Node Nic(string name, string os = Os, string version = OsVersion, string kernel = Kernel, string arch = "amd64", params V1Taint[] taints) =>
        Node(name).Nfd(os, version, kernel).Label(Labels.Arch, arch).Label(Labels.Hostname, name).Taints(taints).Runtime("containerd://1.7.2").Build();

    /// <summary>A node without a NIC: architecture and hostname only.</summary>
    public static V1Node Cpu(string name) => Node(name).Label(Labels.Arch, "amd64").Label(Labels.Hostname, name).Build();

    /// <summary>
    /// A NIC node as its kubelet registers it (32 CPUs, 128Gi, 110 pods; full node info) with NFD's labels, or
    /// without them (<paramref name="nfd"/> false: NFD has not run on it yet).
    /// </summary>
    public static V1Node Joined(string name, string os = Os, string version = OsVersion, string kernel = Kernel, bool nfd = true, string? osImage = null)
    {
        var node = Node(name).Label(Labels.Arch, "amd64").Label(Labels.Hostname, name).Label("kubernetes.io/os", "linux")
            .Capacity(cpu: "32", memory: "128Gi", pods: "110").Allocatable(cpu: "31", memory: "120Gi", pods: "110").Kubelet(kernel, osImage ?? os);
        return (nfd ? node.Nfd(os, version, kernel) : node).Build();
    }

    /// <summary>The labels NFD's worker adds to a NIC node once it has run there, as a patch (null would remove one).</summary>
    public static Dictionary<string, string?> NfdLabels(string os = Os, string version = OsVersion, string kernel = Kernel) => new()
    {
        [Labels.NicPresent] = "true",
        [Labels.OsReleaseId] = os,
        [Labels.OsReleaseVersionId] = version,
        [Labels.KernelVersionFull] = kernel,
    };

    /// <summary>Adds to a node under construction; <see cref="Build"/> returns it.</summary>
    internal sealed class Builder
    {
        private readonly V1Node _node;

        public Builder(string name) => _node = new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>() },
        };

        public Builder Label(string key, string value)
        {
            _node.Metadata.Labels[key] = value;
            return this;
        }

        public Builder Labels(params (string Key, string Value)[] labels)
        {
            foreach (var (key, value) in labels)
            {
                Label(key, value);
            }

            return this;
        }

        /// <summary>NFD's labels of a NIC node: the NIC itself, the OS release and the full kernel version.</summary>
        public Builder Nfd(string os = Os, string version = OsVersion, string kernel = Kernel)
        {
            foreach (var (key, value) in NfdLabels(os, version, kernel))
            {
                Label(key, value!);
            }

            return this;
        }

        /// <summary>Gives the node a spec with these taints (none: a spec without taints).</summary>
        public Builder Taints(params V1Taint[] taints)
        {
            Spec().Taints = taints.Length == 0 ? null : [.. taints];
            return this;
        }

        public Builder Capacity(string cpu, string memory, string pods)
        {
            Status().Capacity = Resources(cpu, memory, pods);
            return this;
        }

        public Builder Allocatable(string cpu, string memory, string pods)
        {
            Status().Allocatable = Resources(cpu, memory, pods);
            return this;
        }

        /// <summary>The container runtime in the node info, the only field of it the renderer reads.</summary>
        public Builder Runtime(string containerRuntimeVersion)
        {
            Info().ContainerRuntimeVersion = containerRuntimeVersion;
            return this;
        }

        /// <summary>The node info a kubelet v1.32 on Linux with containerd reports.</summary>
        public Builder Kubelet(string kernel = Kernel, string osImage = Os)
        {
            var name = _node.Metadata.Name;
            Status().NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64", KernelVersion = kernel, OperatingSystem = "linux", OsImage = osImage, KubeletVersion = "v1.32.4",
                ContainerRuntimeVersion = "containerd://1.7.13", BootID = name, MachineID = name, KubeProxyVersion = "v1.32.4", SystemUUID = name,
            };
            return this;
        }

        public V1Node Build() => _node;

        private static Dictionary<string, ResourceQuantity> Resources(string cpu, string memory, string pods) =>
            new() { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new(pods) };

        private V1NodeSpec Spec() => _node.Spec ??= new V1NodeSpec();

        private V1NodeStatus Status() => _node.Status ??= new V1NodeStatus();

        private V1NodeSystemInfo Info() => Status().NodeInfo ??= new V1NodeSystemInfo();
    }
}
