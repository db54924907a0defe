using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Policies;

/// <summary>
/// The render memo's key: every input a render reads moves the digest; what the operator itself flips on nodes during
/// a rollout or an upgrade (upgrade state, wait labels, the cordon) does not, unless the policy's spec names it.
/// </summary>
public sealed class RenderInputsTests
{
    [Fact]
    public void The_digest_ignores_the_operator_s_own_node_labels_and_the_cordon()
    {
        var before = Digest(Policy(), Facts(Nic("node-1"), Nic("node-2")));
        var flipped = Nic("node-1");
        flipped.Metadata.Labels[Labels.UpgradeState] = "cordon-required";
        flipped.Metadata.Labels[Labels.MofedWait] = "true";
        flipped.Metadata.Labels[Labels.NicConfigurationWait] = "false";
        flipped.Spec.Unschedulable = true;
        flipped.Spec.Taints = [new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }];

        Assert.Equal(before, Digest(Policy(), Facts(flipped, Nic("node-2"))));
    }

    [Fact]
    public void Every_input_a_render_reads_moves_the_digest()
    {
        var policy = Policy();
        var facts = Facts(Nic("node-1"), Nic("node-2"));
        var before = Digest(policy, facts);

        Assert.NotEqual(before, Digest(policy, Facts(Nic("node-1"), Nic("node-2", kernel: "6.8.0-31-generic"))));
        Assert.NotEqual(before, Digest(policy, Facts(Nic("node-1"))));
        Assert.NotEqual(before, Digest(policy, Facts(Nic("node-1"), Nic("node-3"))));
        Assert.NotEqual(before, Digest(policy, Facts(Nic("node-1"), Nic("node-2", taints: new V1Taint { Key = "gpu", Effect = "NoSchedule" }))));
        var runtime = Nic("node-2");
        runtime.Status.NodeInfo.ContainerRuntimeVersion = "cri-o://1.30.0";
        Assert.NotEqual(before, Digest(policy, Facts(Nic("node-1"), runtime)));

        Assert.NotEqual(before, Digest(Policy(generation: 3), facts));
        Assert.NotEqual(before, Digest(Policy(uid: "other-uid"), facts));
        var annotated = Policy();
        annotated.Metadata.Annotations = new Dictionary<string, string> { ["example.com/note"] = "x" };
        Assert.NotEqual(before, Digest(annotated, facts));

        Assert.NotEqual(before, Digest(policy, facts with { OperatorNamespace = "elsewhere" }));
        Assert.NotEqual(before, Digest(policy, facts with { ClusterType = ClusterType.OpenShift }));
        Assert.NotEqual(before, Digest(policy, facts with { OfedInitContainerImage = "example.com/init:1" }));
        Assert.NotEqual(before, Digest(policy, facts with { Proxy = new ClusterProxy("http://proxy:3128", null, null) }));
        Assert.NotEqual(before, Digest(policy, facts with
        {
            ConfigMapKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["certs"] = ["ca.crt"] },
        }));
        Assert.NotEqual(before, Digest(policy, facts with
        {
            DriverToolkitImages = new Dictionary<string, string>(StringComparer.Ordinal) { ["414.92"] = "example.com/dtk@sha256:1" },
        }));
    }

    [Fact]
    public void A_label_the_spec_names_counts_even_when_the_operator_writes_it()
    {
        var policy = new NicNodePolicy
        {
            Metadata = new V1ObjectMeta { Name = "gpu-nodes", Uid = "nnp-uid", Generation = 1 },
            Spec = new NicNodePolicySpec
            {
                NodeSelector = new Dictionary<string, string> { [Labels.UpgradeState] = "upgrade-done" },
                OfedDriver = new OfedDriverSpec { Image = "doca-driver", Repository = "nvcr.io/nvidia/mellanox", Version = "25.01-0.6.0.0-0" },
            },
        };
        var flipped = Nic("node-1");
        flipped.Metadata.Labels[Labels.UpgradeState] = "upgrade-done";
        var waiting = Nic("node-1");
        waiting.Metadata.Labels[Labels.MofedWait] = "true";

        var before = RenderInputs.Digest(policy, policy.Spec, Facts(Nic("node-1")));
        Assert.NotEqual(before, RenderInputs.Digest(policy, policy.Spec, Facts(flipped)));
        Assert.Equal(before, RenderInputs.Digest(policy, policy.Spec, Facts(waiting)));
    }

    [Fact]
    public void Tag_answers_count_through_the_lister_s_version_and_an_unversioned_lister_disables_the_memo()
    {
        var policy = Policy();
        var tags = new CountingTags();
        var before = Digest(policy, Facts(Nic("node-1")) with { PrecompiledTags = tags });
        Assert.Equal(before, Digest(policy, Facts(Nic("node-1")) with { PrecompiledTags = tags }));
        tags.Refreshed();
        Assert.NotEqual(before, Digest(policy, Facts(Nic("node-1")) with { PrecompiledTags = tags }));

        Assert.Null(RenderInputs.Digest(policy, policy.Spec, Facts(Nic("node-1")) with { PrecompiledTags = new UnversionedTags() }));
        Assert.NotNull(RenderInputs.Digest(policy, policy.Spec, Facts(Nic("node-1")) with { PrecompiledTags = new OfflineTagLister() }));
    }

    private static string Digest(NicClusterPolicy policy, ClusterFacts facts) => RenderInputs.Digest(policy, policy.Spec, facts)!;

    private static V1Node Nic(string name, string kernel = TestNodes.Kernel, params V1Taint[] taints) => TestNodes.Nic(name, kernel: kernel, taints: taints);

    private static ClusterFacts Facts(params V1Node[] nodes) => new() { Nodes = nodes };

    private static NicClusterPolicy Policy(long generation = 2, string uid = "policy-uid") => new()
    {
        Metadata = new V1ObjectMeta { Name = ApiGroup.NicClusterPolicyName, Uid = uid, Generation = generation },
        Spec = new NicClusterPolicySpec
        {
            OfedDriver = new OfedDriverSpec { Image = "doca-driver", Repository = "nvcr.io/nvidia/mellanox", Version = "25.01-0.6.0.0-0" },
        },
    };

    private sealed class CountingTags : IPrecompiledTagLister
    {
        private long _version;

        public long? Version => _version;

        public PrecompiledTagLookup Lookup(string repository, string image, string tag) => new(false, null);

        public void Refreshed() => _version++;
    }

    private sealed class UnversionedTags : IPrecompiledTagLister
    {
        public PrecompiledTagLookup Lookup(string repository, string image, string tag) => new(false, null);
    }
}
