using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// NicNodePolicies on a running cluster: per-policy object names and ds-owner, status, shared helper
/// objects with a single owner (no rewrite war), and overlapping node selectors reported as an error without
/// touching what the policies already run.
/// </summary>
public sealed class NicNodePolicyTests
{
    private const string GroupLabel = "example.com/group";

    private static string Policy(string name, string selectorKey, string selectorValue, bool rdma) => $$"""
        apiVersion: mellanox.com/v1alpha1
        kind: NicNodePolicy
        metadata:
          name: {{name}}
        spec:
          nodeSelector:
            {{selectorKey}}: "{{selectorValue}}"
          ofedDriver:
            image: doca-driver
            repository: nvcr.io/nvidia/mellanox
            version: doca3.1.0-25.07-0.9.7.0-0
        """ + (rdma ? """

          rdmaSharedDevicePlugin:
            image: k8s-rdma-shared-dev-plugin
            repository: nvcr.io/nvidia/mellanox
            version: network-operator-v25.7.0
            config: '{"configList":[{"resourceName":"rdma_shared_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}'
        """ : string.Empty);

    private static Task AddGroupNodeAsync(OperatorFixture fx, string name, string group)
    {
        var node = TestNodes.Joined(name);
        node.Metadata.Labels[GroupLabel] = group;
        return fx.AddNodeAsync(node);
    }

    private static async Task<JsonObject?> NnpAsync(OperatorFixture fx, string name) => await fx.GetCustomAsync("nicnodepolicies", name);

    private static string? State(JsonObject? policy) => policy?["status"]?["state"]?.GetValue<string>();

    private static string? ReadyCondition(JsonObject? policy) => policy?["status"]?["conditions"]?.AsArray()
        .FirstOrDefault(c => c?["type"]?.GetValue<string>() == ConditionTypes.Ready)?["status"]?.GetValue<string>();

    [Fact]
    public async Task Node_policies_get_their_own_objects_share_helpers_without_fighting_and_report_overlaps()
    {
        await using var fx = await OperatorFixture.StartAsync(steadyResync: TimeSpan.FromMilliseconds(200));
        var a = TestNodes.Joined("worker-1");
        a.Metadata.Labels[GroupLabel] = "a";
        var b = TestNodes.Joined("worker-2");
        b.Metadata.Labels[GroupLabel] = "b";
        await fx.AddNodeAsync(a);
        await fx.AddNodeAsync(b);
        await fx.ApplyYamlAsync(Policy("group-a", GroupLabel, "a", rdma: true));
        await fx.ApplyYamlAsync(Policy("group-b", GroupLabel, "b", rdma: false));

        await Eventually.TrueAsync(async () => State(await NnpAsync(fx, "group-a")) == "ready" && State(await NnpAsync(fx, "group-b")) == "ready",
            "both node policies ready");
        foreach (var name in new[] { "group-a", "group-b" })
        {
            var policy = await NnpAsync(fx, name);
            Assert.Equal("True", ReadyCondition(policy));
            Assert.Contains(policy!["status"]!["appliedStates"]!.AsArray(),
                s => s!["name"]!.GetValue<string>() == StateNames.Ofed && s["state"]!.GetValue<string>() == "ready");
        }

        // Each policy's DaemonSets carry its name hash and ds-owner, are controlled by it and select only its nodes.
        var uidA = (await NnpAsync(fx, "group-a"))!["metadata"]!["uid"]!.GetValue<string>();
        var uidB = (await NnpAsync(fx, "group-b"))!["metadata"]!["uid"]!.GetValue<string>();
        var kernelHash = ShortHash.Compute("5.15.0-91-generic");
        var daemonSets = await fx.DaemonSetsAsync();
        var driverA = Assert.Single(daemonSets, d => d.Metadata.Labels[Labels.DsOwner] == "nnp-group-a" && d.Metadata.Labels[Labels.State] == StateNames.Ofed);
        var driverB = Assert.Single(daemonSets, d => d.Metadata.Labels[Labels.DsOwner] == "nnp-group-b" && d.Metadata.Labels[Labels.State] == StateNames.Ofed);
        Assert.Equal($"mofed-ubuntu22.04-{kernelHash}-{ShortHash.Compute("group-a")}-ds", driverA.Metadata.Name);
        Assert.Equal($"mofed-ubuntu22.04-{kernelHash}-{ShortHash.Compute("group-b")}-ds", driverB.Metadata.Name);
        Assert.Equal("a", driverA.Spec.Template.Spec.NodeSelector[GroupLabel]);
        Assert.Equal("b", driverB.Spec.Template.Spec.NodeSelector[GroupLabel]);
        Assert.Contains(driverA.Metadata.OwnerReferences, r => r.Uid == uidA && r.Controller == true);
        Assert.Contains(driverB.Metadata.OwnerReferences, r => r.Uid == uidB && r.Controller == true);
        var rdma = Assert.Single(daemonSets, d => d.Metadata.Labels[Labels.State] == StateNames.RdmaDevicePlugin);
        Assert.Equal($"rdma-shared-dp-ds-{ShortHash.Compute("group-a")}", rdma.Metadata.Name);
        Assert.Equal(1, driverA.Status?.NumberAvailable);
        Assert.Equal(1, driverB.Status?.NumberAvailable);

        // Helper objects both policies render under the same name have exactly one controlling policy...
        var accounts = (await fx.Client.CoreV1.ListNamespacedServiceAccountAsync(OperatorFixture.Namespace, labelSelector: $"{Labels.State}={StateNames.Ofed}")).Items;
        Assert.NotEmpty(accounts);
        Assert.All(accounts, sa => Assert.Single(sa.Metadata.OwnerReferences, r => r.Controller == true));
        var roles = (await fx.Client.RbacAuthorizationV1.ListClusterRoleAsync(labelSelector: $"{Labels.State}={StateNames.Ofed}")).Items;
        Assert.All(roles, role => Assert.Single(role.Metadata.OwnerReferences, r => r.Controller == true));

        // ...and with both policies reconciling every 200 ms nobody rewrites them (or anything else).
        await fx.ReconciledAgainAsync("nicnodepolicy", 10);
        fx.Server.Requests.Reset();
        await fx.ReconciledAgainAsync("nicnodepolicy", 30);
        foreach (var resource in new[] { "serviceaccounts", "clusterroles", "clusterrolebindings", "roles", "rolebindings", "daemonsets", "configmaps" })
        {
            Assert.Equal(0, fx.Server.Requests.Get("update", resource) + fx.Server.Requests.Get("create", resource) + fx.Server.Requests.Get("delete", resource));
        }

        // A third policy selecting every Linux node overlaps both: each policy involved reports the overlap as an
        // error with Ready=False, and nothing is synced for or taken away from anyone while it lasts.
        await fx.ApplyYamlAsync(Policy("group-all", "kubernetes.io/os", "linux", rdma: false));
        await Eventually.TrueAsync(async () => State(await NnpAsync(fx, "group-all")) == "error", "overlapping policy in error");
        var all = await NnpAsync(fx, "group-all");
        Assert.Equal(
            "node selector overlap detected: node \"worker-1\" is selected by policies: [group-a, group-all]; node \"worker-2\" is selected by policies: [group-all, group-b]",
            all!["status"]!["reason"]!.GetValue<string>());
        Assert.Equal("False", ReadyCondition(all));
        await Eventually.TrueAsync(async () => State(await NnpAsync(fx, "group-a")) == "error" && State(await NnpAsync(fx, "group-b")) == "error",
            "the overlapped policies report it too");
        Assert.Equal("node selector overlap detected: node \"worker-1\" is selected by policies: [group-a, group-all]",
            (await NnpAsync(fx, "group-a"))!["status"]!["reason"]!.GetValue<string>());
        Assert.Empty(await fx.DaemonSetsAsync($"{Labels.DsOwner}=nnp-group-all"));
        Assert.Equal(3, (await fx.DaemonSetsAsync()).Count);

        // The overlap removed: the two policies are ready again and the error reason is gone.
        await fx.Client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicnodepolicies", "group-all");
        await Eventually.TrueAsync(async () => State(await NnpAsync(fx, "group-a")) == "ready" && State(await NnpAsync(fx, "group-b")) == "ready",
            "ready again once the overlap is gone");
        Assert.Null((await NnpAsync(fx, "group-a"))!["status"]?["reason"]);
    }

    [Fact]
    public async Task When_no_node_is_left_for_the_driver_its_objects_go_and_the_state_says_why()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await AddGroupNodeAsync(fx, "worker-1", "a");
        await fx.ApplyYamlAsync(Policy("group-a", GroupLabel, "a", rdma: false));
        await Eventually.TrueAsync(async () => State(await NnpAsync(fx, "group-a")) == "ready", "the node policy ready");
        Assert.Single(await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}"));

        // The node leaves the group: no driver pool is left, so the driver's DaemonSet, account and roles go (as
        // upstream), instead of a DaemonSet selecting nobody and a state saying only that nothing was rendered.
        await fx.LabelNodeAsync("worker-1", new Dictionary<string, string?> { [GroupLabel] = null });
        var message = await Eventually.ValueAsync(async () =>
        {
            var ofed = (await NnpAsync(fx, "group-a"))?["status"]?["appliedStates"]?.AsArray()
                .FirstOrDefault(s => s?["name"]?.GetValue<string>() == StateNames.Ofed);
            var text = ofed?["message"]?.GetValue<string>();
            return text is { Length: > 0 } && (await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}")).Count == 0 ? text : null;
        }, "the driver's DaemonSet deleted and the state's reason");
        Assert.StartsWith($"no node qualifies for the driver: no node matches spec.nodeSelector {GroupLabel}=a (", message, StringComparison.Ordinal);
        Assert.Empty((await fx.Client.CoreV1.ListNamespacedServiceAccountAsync(OperatorFixture.Namespace, labelSelector: $"{Labels.State}={StateNames.Ofed}")).Items);

        // Back in the group: deployed again.
        await fx.LabelNodeAsync("worker-1", new Dictionary<string, string?> { [GroupLabel] = "a" });
        await Eventually.TrueAsync(async () => State(await NnpAsync(fx, "group-a")) == "ready" &&
            (await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}")).Count == 1, "the driver deployed again", Eventually.LongTimeout);
    }

    [Fact]
    public async Task A_section_the_cluster_policy_also_defines_stays_with_it_when_no_webhook_refused_the_node_policy()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await AddGroupNodeAsync(fx, "worker-1", "a");
        const string ClusterRdma = """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              rdmaSharedDevicePlugin:
                image: k8s-rdma-shared-dev-plugin
                repository: nvcr.io/nvidia/mellanox
                version: network-operator-v25.7.0
                config: '{"configList":[{"resourceName":"rdma_shared_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}'
            """;
        await fx.ApplyYamlAsync(ClusterRdma);
        await fx.ApplyYamlAsync(Policy("group-a", GroupLabel, "a", rdma: true));

        static JsonNode? RdmaState(JsonObject? policy) => policy?["status"]?["appliedStates"]?.AsArray()
            .FirstOrDefault(a => a!["name"]!.GetValue<string>() == StateNames.RdmaDevicePlugin);
        await Eventually.TrueAsync(async () => RdmaState(await NnpAsync(fx, "group-a"))?["state"]?.GetValue<string>() == "error", "the shared section in error");
        var policy = await NnpAsync(fx, "group-a");
        var rdma = RdmaState(policy)!;
        // As upstream's aggregate: a state in error makes the policy notReady, and Ready=False names the state.
        Assert.Equal("notReady", State(policy));
        Assert.Equal("False", ReadyCondition(policy));
        Assert.Equal("NicClusterPolicy already defines rdmaSharedDevicePlugin; NicNodePolicy \"group-a\" cannot also define it", rdma["message"]!.GetValue<string>());
        // The section it does not share is deployed; the shared one only once, by the cluster policy.
        await Eventually.TrueAsync(async () => (await fx.DaemonSetsAsync($"{Labels.DsOwner}=nnp-group-a,{Labels.State}={StateNames.Ofed}")).Count == 1, "driver of the node policy");
        Assert.Empty(await fx.DaemonSetsAsync($"{Labels.DsOwner}=nnp-group-a,{Labels.State}={StateNames.RdmaDevicePlugin}"));
        // The cluster policy's own device plugin follows the node policy's driver (its pods wait for it).
        await Eventually.TrueAsync(async () => (await fx.DaemonSetsAsync($"{Labels.State}={StateNames.RdmaDevicePlugin}")).Count == 1, "the cluster policy's device plugin");
        Assert.Equal(Labels.DsOwnerClusterPolicy, Assert.Single(await fx.DaemonSetsAsync($"{Labels.State}={StateNames.RdmaDevicePlugin}")).Metadata.Labels[Labels.DsOwner]);

        // The cluster policy gives the section up: the node policy deploys it.
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec":{"rdmaSharedDevicePlugin":null}}""", V1Patch.PatchType.MergePatch),
            "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await Eventually.TrueAsync(async () => (await fx.DaemonSetsAsync($"{Labels.DsOwner}=nnp-group-a,{Labels.State}={StateNames.RdmaDevicePlugin}")).Count == 1,
            "the node policy's device plugin");
        await Eventually.TrueAsync(async () => RdmaState(await NnpAsync(fx, "group-a"))?["state"]?.GetValue<string>() != "error", "no longer an error");
    }
}
