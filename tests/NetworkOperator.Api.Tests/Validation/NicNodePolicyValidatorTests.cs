using NetworkOperator.Api.Validation;
using static NetworkOperator.Api.Validation.ValidationErrorType;

namespace NetworkOperator.Api.Tests.Validation;

public class NicNodePolicyValidatorTests
{
    private static string Policy(string name, string specLines) =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: NicNodePolicy\nmetadata: {{name: {name}}}\nspec:\n  nodeSelector: {{group: gpu}}\n{specLines}";

    private const string Ofed = "  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: 25.07-0.9.7.0-0}\n";

    private const string ClusterPolicyWithOfed =
        "---\napiVersion: mellanox.com/v1alpha1\nkind: NicClusterPolicy\nmetadata: {name: nic-cluster-policy}\nspec:\n" + Ofed;

    private const string IgnoredClusterPolicyWithOfed =
        "---\napiVersion: mellanox.com/v1alpha1\nkind: NicClusterPolicy\nmetadata: {name: other}\nspec:\n" + Ofed;

    private static string Node(string name, string group) =>
        $"---\napiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{group: {group}}}}}\n";

    private static string OtherPolicy(string name, string group) =>
        $"---\napiVersion: mellanox.com/v1alpha1\nkind: NicNodePolicy\nmetadata: {{name: {name}}}\nspec:\n  nodeSelector: {{group: {group}}}\n";

    public static TheoryData<string, string, string?, ValidationErrorType?> Cases => new()
    {
        { "name of 30 characters", Policy(new string('a', 30), Ofed), null, null },
        { "name of 31 characters", Policy(new string('a', 31), Ofed), "metadata.name", Invalid },
        { "driver version", Policy("p", "  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: '25.07'}\n"), "spec.ofedDriver.version", Invalid },
        { "safeLoad without autoUpgrade", Policy("p", "  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: 25.07-0.9.7.0-0, upgradePolicy: {autoUpgrade: false, safeLoad: true}}\n"), "spec.ofedDriver.upgradePolicy.safeLoad", Forbidden },
        { "rdma config", Policy("p", "  rdmaSharedDevicePlugin: {image: p, repository: ghcr.io/mellanox, version: v1, config: '{\"configList\":[{\"resourceName\":\"a\",\"rdmaHcaMax\":1,\"devices\":[\"ib0\"]}]}'}\n"), null, null },
        { "rdma config invalid", Policy("p", "  rdmaSharedDevicePlugin: {image: p, repository: ghcr.io/mellanox, version: v1, config: '{\"configList\":[{\"rdmaHcaMax\":1,\"devices\":[\"ib0\"]}]}'}\n"), "spec.rdmaSharedDevicePlugin.config", Invalid },
        { "sriov config invalid", Policy("p", "  sriovDevicePlugin: {image: p, repository: ghcr.io/mellanox, version: v1, config: '{\"resourceList\":{}}'}\n"), "spec.sriovDevicePlugin.config", Invalid },
        { "repository required without global", Policy("p", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0}\n"), "spec.ofedDriver.repository", Required },
        { "container resources", Policy("p", "  sriovDevicePlugin:\n    image: p\n    repository: ghcr.io/mellanox\n    version: v1\n    containerResources: [{name: rdma-shared-dp}]\n"), "spec.sriovDevicePlugin.containerResources[0].name", NotSupported },
        { "section free in cluster policy", Policy("p", "  rdmaSharedDevicePlugin: {image: p, repository: ghcr.io/mellanox, version: v1, config: '{\"configList\":[{\"resourceName\":\"a\",\"rdmaHcaMax\":1,\"devices\":[\"ib0\"]}]}'}\n") + ClusterPolicyWithOfed, null, null },
        { "section taken by cluster policy", Policy("p", Ofed) + ClusterPolicyWithOfed, "spec.ofedDriver", Forbidden },
        { "ignored cluster policy does not conflict", Policy("p", Ofed) + IgnoredClusterPolicyWithOfed, null, null },
        { "disjoint node groups", Policy("p", Ofed) + OtherPolicy("q", "cpu") + Node("n1", "gpu") + Node("n2", "cpu"), null, null },
        { "overlapping node groups", Policy("p", Ofed) + OtherPolicy("q", "gpu") + Node("n1", "gpu"), "spec.nodeSelector", Forbidden },
        { "own stored version does not overlap", Policy("p", Ofed) + OtherPolicy("p", "gpu") + Node("n1", "gpu"), null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Nic_node_policy_rule(string description, string yaml, string? field, ValidationErrorType? type)
    {
        Assert.NotEmpty(description);

        ValidationCase.AssertOutcome(yaml, field, type);
    }

    [Fact]
    public void Overlap_message_lists_sorted_nodes_and_policies()
    {
        var result = ValidationCase.Run(Policy("b", Ofed) + OtherPolicy("a", "gpu") + OtherPolicy("c", "cpu") + Node("w2", "gpu") + Node("w1", "gpu") + Node("w3", "cpu"));

        Assert.Equal(
            "node selector overlap detected: node \"w1\" is selected by policies: [a, b]; node \"w2\" is selected by policies: [a, b]",
            Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Section_conflict_message_names_the_policy()
    {
        var result = ValidationCase.Run(Policy("gpu-nodes", Ofed) + ClusterPolicyWithOfed);

        Assert.Equal("NicClusterPolicy already defines ofedDriver; NicNodePolicy \"gpu-nodes\" cannot also define it", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Policy_without_node_selector_gets_a_warning()
    {
        var result = ValidationCase.Run("apiVersion: mellanox.com/v1alpha1\nkind: NicNodePolicy\nmetadata: {name: all}\nspec:\n" + Ofed);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("spec.nodeSelector", Assert.Single(result.Warnings).Field);
    }

    [Fact]
    public void Full_example_is_valid()
    {
        var result = ValidationCase.Run(TestFiles.Read("nicnodepolicy-full.yaml"));

        Assert.True(result.IsValid, result.ToString());
    }
}
