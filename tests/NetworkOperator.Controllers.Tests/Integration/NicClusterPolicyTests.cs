using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Tests.Integration;

public sealed class NicClusterPolicyTests
{
    private const string Policy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          secondaryNetwork:
            multus:
              image: multus-cni
              repository: ghcr.io/k8snetworkplumbingwg
              version: v4.1.0
            cniPlugins:
              image: plugins
              repository: ghcr.io/k8snetworkplumbingwg
              version: v1.5.0
          nvIpam:
            image: nvidia-k8s-ipam
            repository: ghcr.io/mellanox
            version: v0.3.7
        """;

    private static string? State(JsonObject? policy) => policy?["status"]?["state"]?.GetValue<string>();

    [Fact]
    public async Task PolicyBecomesReadyThenIdlesAndReactsToEditsAndSectionRemoval()
    {
        // Pods take 2 s to start, so the policy is observably notReady before the kubelets bring its workloads up.
        await using var fx = await OperatorFixture.StartAsync(steadyResync: TimeSpan.FromMilliseconds(200), kubeletDelay: TimeSpan.FromSeconds(2));
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.AddNodeAsync(TestNodes.Joined("worker-2"));
        await fx.ApplyYamlAsync(Policy);

        // Objects appear, each controlled by the policy, labelled with its state and stamped with a revision.
        await Eventually.TrueAsync(async () => (await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items.Count >= 3, "DaemonSets rendered");
        var policy = await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        var uid = policy!["metadata"]!["uid"]!.GetValue<string>();
        foreach (var ds in (await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items)
        {
            Assert.Contains(ds.Metadata.OwnerReferences, r => r.Uid == uid && r.Controller == true);
            Assert.True(ds.Metadata.Labels.ContainsKey(Labels.State));
            Assert.True(ds.Metadata.Annotations.ContainsKey(Annotations.Revision));
        }

        await Eventually.TrueAsync(async () => State(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName)) == "notReady", "notReady while the pods start");
        await Eventually.TrueAsync(async () => State(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName)) == "ready", "ready once the kubelets run every pod");
        foreach (var ds in await fx.DaemonSetsAsync())
        {
            Assert.Equal(2, ds.Status.NumberAvailable);
        }

        policy = await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        var conditions = policy!["status"]!["conditions"]!.AsArray();
        Assert.All(conditions, c => Assert.Equal("True", c!["status"]!.GetValue<string>()));
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == ConditionTypes.Ready);
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == ConditionTypes.NvIpamReady);
        Assert.Equal(ComponentCatalog.ClusterPolicy.Select(c => c.StateName), policy["status"]!["appliedStates"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));

        // Steady state with periodic requeues (every 200 ms): not a single write.
        await fx.ReconciledAgainAsync("nicclusterpolicy", 5);
        fx.Server.Requests.Reset();
        await fx.ReconciledAgainAsync("nicclusterpolicy", 15);
        Assert.Equal(0, fx.Server.Requests.Writes());
        Assert.Equal(0, fx.Server.Requests.Total("get"));

        // A component's version edited: its DaemonSet is updated exactly once.
        var patch = new V1Patch("""{"spec":{"secondaryNetwork":{"multus":{"version":"v4.2.0"}}}}""", V1Patch.PatchType.MergePatch);
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(patch, "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await Eventually.TrueAsync(async () => (await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items
            .Any(d => d.Spec.Template.Spec.Containers.Any(c => c.Image.EndsWith(":v4.2.0", StringComparison.Ordinal))), "multus image updated");
        await fx.ReconciledAgainAsync("nicclusterpolicy", 8);
        Assert.Equal(1, fx.Server.Requests.Get("update", "daemonsets"));
        Assert.Equal(0, fx.Server.Requests.Get("create", "daemonsets"));

        // A section removed: its objects are deleted, its CRDs are kept and the component says so.
        var ipamObjects = await fx.Client.AppsV1.ListNamespacedDeploymentAsync(OperatorFixture.Namespace, labelSelector: $"{Labels.State}={StateNames.NvIpamCni}");
        Assert.NotEmpty(ipamObjects.Items);
        var remove = new V1Patch("""{"spec":{"nvIpam":null}}""", V1Patch.PatchType.MergePatch);
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(remove, "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await Eventually.TrueAsync(async () => (await fx.Client.AppsV1.ListNamespacedDeploymentAsync(OperatorFixture.Namespace,
            labelSelector: $"{Labels.State}={StateNames.NvIpamCni}")).Items.Count == 0, "nv-ipam Deployment deleted");
        await Eventually.TrueAsync(async () =>
        {
            var applied = (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))!["status"]!["appliedStates"]!.AsArray()
                .Single(a => a!["name"]!.GetValue<string>() == StateNames.NvIpamCni)!;
            return applied["state"]!.GetValue<string>() == "ignore" && applied["message"]!.GetValue<string>().Contains("kept", StringComparison.Ordinal);
        }, "nv-ipam ignored with a message about kept CRDs");
        var crd = await fx.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("ippools.nv-ipam.nvidia.com");
        Assert.NotNull(crd);

        // Policy deleted: garbage collection removes what it owned.
        await fx.Client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await Eventually.TrueAsync(async () => (await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items.Count == 0, "DaemonSets garbage-collected");
    }

    [Fact]
    public async Task OtherInstanceNamesAreIgnoredWithAReason()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.ApplyYamlAsync(Policy.Replace("name: nic-cluster-policy", "name: my-policy", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => State(await fx.GetCustomAsync("nicclusterpolicies", "my-policy")) == "ignore", "ignored");
        var policy = await fx.GetCustomAsync("nicclusterpolicies", "my-policy");
        Assert.Equal("Unsupported NicClusterPolicy instance my-policy. Only instance with name nic-cluster-policy is supported",
            policy!["status"]!["reason"]!.GetValue<string>());
        Assert.Empty((await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items);
    }

    [Fact]
    public async Task AnInvalidSpecThatBypassedTheWebhookGetsAnErrorStatusAndNothingIsApplied()
    {
        await using var fx = await OperatorFixture.StartAsync();
        // No webhook runs here, as when it is disabled or the object predates it: the reconciler applies the same rules.
        await fx.ApplyYamlAsync(Policy.Replace("repository: ghcr.io/mellanox", "repository: ghcr.io/Mellanox", StringComparison.Ordinal));

        await Eventually.TrueAsync(async () => State(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName)) == "error", "error");
        var policy = await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        Assert.Contains("spec.nvIpam.repository", policy!["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var ready = policy["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        Assert.Equal("False", ready["status"]!.GetValue<string>());
        Assert.Equal(ConditionReasons.InvalidSpec, ready["reason"]!.GetValue<string>());
        Assert.Equal(policy["metadata"]!["generation"]!.GetValue<long>(), ready["observedGeneration"]!.GetValue<long>());
        Assert.Empty((await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items);

        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"spec":{"nvIpam":{"repository":"ghcr.io/mellanox"}}}""", V1Patch.PatchType.MergePatch),
            "mellanox.com", "v1alpha1", "nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        await Eventually.TrueAsync(async () => (await fx.Client.AppsV1.ListNamespacedDaemonSetAsync(OperatorFixture.Namespace)).Items.Count > 0, "applied once fixed");
        await Eventually.TrueAsync(async () => State(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName)) != "error", "error cleared");
    }
}
