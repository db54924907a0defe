using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Tests;

/// <summary>Small policies built in code for focused tests.</summary>
internal static class Policies
{
    public const string Repo = "nvcr.io/nvidia/mellanox";
    public const string RdmaConfig = "{\"configList\":[{\"resourceName\":\"a\",\"rdmaHcaMax\":63,\"selectors\":{\"ifNames\":[\"ens1f0\"]}}]}";
    public const string SriovConfig = "{\"resourceList\":[{\"resourceName\":\"hostdev\",\"selectors\":{\"vendors\":[\"15b3\"]}}]}";

    public static NicClusterPolicy Cluster(Action<NicClusterPolicySpec> configure)
    {
        var policy = new NicClusterPolicy { Metadata = new V1ObjectMeta { Name = "nic-cluster-policy" } };
        configure(policy.Spec);
        return policy;
    }

    public static NicNodePolicy Node(string name, Action<NicNodePolicySpec> configure)
    {
        var policy = new NicNodePolicy { Metadata = new V1ObjectMeta { Name = name } };
        configure(policy.Spec);
        return policy;
    }

    public static OfedDriverSpec Ofed(string version = "doca3.1.0-25.07-0.9.7.0-0") => new() { Image = "doca-driver", Repository = Repo, Version = version };

    public static DevicePluginSpec Rdma(string? config = RdmaConfig) => new() { Image = "k8s-rdma-shared-dev-plugin", Repository = Repo, Version = "v1", Config = config };

    public static DevicePluginSpec Sriov(string? config = SriovConfig) => new() { Image = "sriov-network-device-plugin", Repository = Repo, Version = "v1", Config = config };

    public static T Image<T>(T spec, string image)
        where T : ImageSpec
    {
        spec.Image = image;
        spec.Repository = Repo;
        spec.Version = "v1";
        return spec;
    }

    public static ClusterFacts Facts(params V1Node[] nodes) => new() { Nodes = nodes.Length == 0 ? [TestNodes.Nic("worker-1")] : nodes };

    public static ClusterFacts OpenShift(params V1Node[] nodes) => Facts(nodes) with { ClusterType = ClusterType.OpenShift };
}
