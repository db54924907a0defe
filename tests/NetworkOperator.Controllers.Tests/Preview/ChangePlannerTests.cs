using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Preview;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Tests.Integration;
using NetworkOperator.Rendering.Preview;

namespace NetworkOperator.Controllers.Tests.Preview;

/// <summary>
/// The change plan against a simulated cluster the real operator reconciles: everything "create" before, "unchanged"
/// once the operator has applied the same policy, only the driver DaemonSets "update" after a driver version edit,
/// a removed section's objects "delete" (its CRDs kept), and the preview itself only ever reads.
/// </summary>
public sealed class ChangePlannerTests
{
    private const string PreviewUser = "preview";

    private const string Policy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          ofedDriver:
            image: doca-driver
            repository: nvcr.io/nvidia/mellanox
            version: doca3.1.0-25.07-0.9.7.0-0
            upgradePolicy:
              autoUpgrade: true
              maxParallelUpgrades: 2
          secondaryNetwork:
            multus:
              image: multus-cni
              repository: ghcr.io/k8snetworkplumbingwg
              version: v4.1.0
          nvIpam:
            image: nvidia-k8s-ipam
            repository: ghcr.io/mellanox
            version: v0.3.7
        """;

    [Fact]
    public async Task Plan_follows_the_operator_from_empty_to_reconciled_to_edited_and_only_reads()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.AddNodeAsync(TestNodes.Joined("worker-2"));
        await fx.AddNodeAsync(TestNodes.Joined("worker-3", kernel: "6.8.0-31-generic"));

        // Empty cluster: the policy and every object it renders would be created; pools come from the real nodes.
        var before = await PlanAsync(fx, Policy);
        Assert.True(before.HasChanges);
        Assert.Empty(before.RenderErrors);
        Assert.All(before.Changes, c => Assert.Equal(ChangeAction.Create, c.Action));
        Assert.Contains(before.Changes, c => c.Kind == "NicClusterPolicy" && c.State.Length == 0);
        Assert.Equal(2, before.Changes.Count(c => c.Kind == "DaemonSet" && c.State == StateNames.Ofed));
        Assert.Equal([1, 2], before.DriverPools.Select(p => p.Nodes).Order());

        // The operator applies the same policy: once it has caught up, nothing would change.
        await fx.ApplyYamlAsync(Policy);
        var host = await fx.StartOperatorAsync();
        ChangePlan? settled = null;
        await Eventually.TrueAsync(async () => !(settled = await PlanAsync(fx, Policy)).HasChanges, "operator applied everything the plan shows");
        Assert.All(settled!.Changes, c => Assert.Equal(ChangeAction.Unchanged, c.Action));
        Assert.Equal(before.Changes.Count, settled.Changes.Count);

        // The operator stops so its own reconciliation cannot move the cluster under the next previews.
        await fx.StopOperatorAsync(host);

        // A driver version edit: only the driver DaemonSets update, each with the restart consequence, plus the policy itself.
        var upgraded = await PlanAsync(fx, Policy.Replace("doca3.1.0-25.07-0.9.7.0-0", "doca3.2.0-25.10-1.2.8.0-0", StringComparison.Ordinal));
        var updates = upgraded.Changes.Where(c => c.Action == ChangeAction.Update).ToList();
        Assert.Equal(3, updates.Count);
        Assert.Contains(updates, c => c.Kind == "NicClusterPolicy");
        Assert.All(updates.Where(c => c.Kind != "NicClusterPolicy"), c =>
        {
            Assert.Equal("DaemonSet", c.Kind);
            Assert.Equal(StateNames.Ofed, c.State);
            Assert.Contains("driver pods restart node by node", c.Note, StringComparison.Ordinal);
            Assert.Contains("maxParallelUpgrades 2", c.Note, StringComparison.Ordinal);
        });
        Assert.All(upgraded.Changes.Except(updates), c => Assert.Equal(ChangeAction.Unchanged, c.Action));

        // A section removed: its objects would be deleted, its CRDs kept; nothing else moves.
        var withoutIpam = Policy[..Policy.IndexOf("  nvIpam:", StringComparison.Ordinal)];
        var removed = await PlanAsync(fx, withoutIpam);
        var deletes = removed.Changes.Where(c => c.Action == ChangeAction.Delete).ToList();
        Assert.NotEmpty(deletes);
        Assert.All(deletes, c => Assert.Equal(StateNames.NvIpamCni, c.State));
        Assert.Contains(deletes, c => c.Kind == "Deployment");
        Assert.All(removed.Changes.Where(c => c.Action == ChangeAction.Kept), c => Assert.Equal("CustomResourceDefinition", c.Kind));
        Assert.All(removed.Changes.Where(c => c.State != StateNames.NvIpamCni && c.State.Length > 0), c => Assert.Equal(ChangeAction.Unchanged, c.Action));
        Assert.Equal(settled.Changes.Count(c => c.State == StateNames.NvIpamCni && c.Kind != "CustomResourceDefinition"), deletes.Count);

        // Every request the previews made was a read.
        var previewRequests = fx.Server.Audit.ByUser(PreviewUser);
        Assert.NotEmpty(previewRequests);
        Assert.All(previewRequests, r => Assert.Contains(r.Verb, new[] { "get", "list" }));
    }

    private const string NodePolicyAndNetwork = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicNodePolicy
        metadata:
          name: gpu-nodes
        spec:
          nodeSelector:
            node-role.kubernetes.io/gpu: ""
          ofedDriver:
            image: doca-driver
            repository: nvcr.io/nvidia/mellanox
            version: doca3.1.0-25.07-0.9.7.0-0
          rdmaSharedDevicePlugin:
            image: k8s-rdma-shared-dev-plugin
            repository: nvcr.io/nvidia/mellanox
            version: network-operator-v25.7.0
            config: '{"configList":[{"resourceName":"rdma_shared_gpu","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}'
        ---
        apiVersion: mellanox.com/v1alpha1
        kind: MacvlanNetwork
        metadata:
          name: macvlan-net
        spec:
          networkNamespace: default
          master: ens2f0
          mode: bridge
          ipam: '{"type": "nv-ipam", "poolName": "my-pool"}'
        """;

    [Fact]
    public async Task Node_policy_section_removal_deletes_only_its_own_objects_and_a_network_namespace_move_replaces_the_NAD()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        var gpu = TestNodes.Joined("gpu-1");
        gpu.Metadata.Labels["node-role.kubernetes.io/gpu"] = string.Empty;
        await fx.AddNodeAsync(gpu);
        await fx.AddNodeAsync(TestNodes.Joined("cpu-1", kernel: "6.8.0-31-generic"));
        await fx.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ai-jobs" } });

        // The NicNodePolicy's driver pool only counts the node it selects.
        var before = await PlanAsync(fx, NodePolicyAndNetwork);
        Assert.Equal(1, Assert.Single(before.DriverPools).Nodes);
        Assert.Contains(before.Changes, c => c is { Action: ChangeAction.Create, Kind: "NetworkAttachmentDefinition", Namespace: "default", Name: "macvlan-net" });

        await fx.ApplyYamlAsync(NodePolicyAndNetwork);
        var host = await fx.StartOperatorAsync();
        await Eventually.TrueAsync(async () => !(await PlanAsync(fx, NodePolicyAndNetwork)).HasChanges, "operator applied the node policy and the network");
        await fx.StopOperatorAsync(host);

        var edited = NodePolicyAndNetwork[..NodePolicyAndNetwork.IndexOf("  rdmaSharedDevicePlugin:", StringComparison.Ordinal)]
            + NodePolicyAndNetwork[NodePolicyAndNetwork.IndexOf("---", StringComparison.Ordinal)..].Replace("networkNamespace: default", "networkNamespace: ai-jobs", StringComparison.Ordinal);
        var plan = await PlanAsync(fx, edited);
        var deletes = plan.Changes.Where(c => c.Action == ChangeAction.Delete).ToList();
        Assert.Contains(deletes, c => c is { Kind: "NetworkAttachmentDefinition", Namespace: "default", Name: "macvlan-net",
            Note: "pods already attached keep their interface; new pods in this namespace can no longer request the network" });
        Assert.Contains(plan.Changes, c => c is { Action: ChangeAction.Create, Kind: "NetworkAttachmentDefinition", Namespace: "ai-jobs", Name: "macvlan-net" });
        Assert.Contains(deletes, c => c.Kind == "DaemonSet" && c.State == StateNames.RdmaDevicePlugin);
        Assert.All(deletes.Where(c => c.Kind != "NetworkAttachmentDefinition"), c =>
        {
            Assert.Equal(StateNames.RdmaDevicePlugin, c.State);
            Assert.Equal("NicNodePolicy/gpu-nodes", c.Source);
        });
        Assert.All(plan.Changes.Where(c => c.State == StateNames.Ofed), c => Assert.Equal(ChangeAction.Unchanged, c.Action));
        Assert.Equal(["MacvlanNetwork", "NicNodePolicy"], plan.Changes.Where(c => c.Action == ChangeAction.Update).Select(c => c.Kind).Order(StringComparer.Ordinal));
        Assert.All(fx.Server.Audit.ByUser(PreviewUser), r => Assert.Contains(r.Verb, new[] { "get", "list" }));

        // A config change of the network: the NAD is updated, and the note says who sees it.
        var retuned = await PlanAsync(fx, NodePolicyAndNetwork.Replace("mode: bridge", "mode: private", StringComparison.Ordinal));
        Assert.Contains(retuned.Changes, c => c is { Action: ChangeAction.Update, Kind: "NetworkAttachmentDefinition", Namespace: "default", Name: "macvlan-net",
            Note: "pods already attached keep the old configuration until they are re-created" });
    }

    [Fact]
    public async Task A_NAD_another_kind_of_network_of_the_same_name_controls_is_owned_elsewhere()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.ApplyYamlAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: shared
            spec:
              networkNamespace: default
              master: ens2f0
              ipam: '{"type": "nv-ipam", "poolName": "my-pool"}'
            """);
        await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("macvlannetworks", "shared"))?["status"]?["state"]?.GetValue<string>() == "ready", "macvlan ready");

        var plan = await PlanAsync(fx, """
            apiVersion: mellanox.com/v1alpha1
            kind: HostDeviceNetwork
            metadata:
              name: shared
            spec:
              networkNamespace: default
              resourceName: hostdev
            """);

        var nad = Assert.Single(plan.Changes, c => c.Kind == "NetworkAttachmentDefinition");
        Assert.Equal(ChangeAction.OwnedElsewhere, nad.Action);
        Assert.Contains("MacvlanNetwork/shared", nad.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_that_cannot_render_is_a_render_error_and_plans_nothing_for_that_state()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        var missingCa = Policy.Replace("version: doca3.1.0-25.07-0.9.7.0-0", "version: doca3.1.0-25.07-0.9.7.0-0\n    certConfig:\n      name: absent-ca", StringComparison.Ordinal);

        var plan = await PlanAsync(fx, missingCa);

        Assert.Contains("absent-ca", Assert.Single(plan.RenderErrors), StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Changes, c => c.State == StateNames.Ofed);
        Assert.Contains(plan.Changes, c => c.State == StateNames.MultusCni && c.Action == ChangeAction.Create);
    }

    [Fact]
    public async Task Settings_of_the_operator_Deployment_are_used_so_its_objects_compare_unchanged()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        const string initImage = "nvcr.io/nvidia/mellanox/network-operator-init-container:v0.0.3";
        const string cniBin = "/custom/cni/bin";
        await fx.Client.AppsV1.CreateNamespacedDeploymentAsync(OperatorDeployment(initImage, cniBin), OperatorFixture.Namespace);
        await fx.ApplyYamlAsync(Policy);

        // The operator runs with those settings (as the Deployment's pod would).
        var host = await OperatorHost.CreateAsync(fx.Server.CreateClient(), new OperatorOptions
        {
            Environment = new OperatorEnvironment
            {
                Namespace = OperatorFixture.Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300), OfedInitContainerImage = initImage, CniBinDirectory = cniBin,
            },
        }, NullLoggerFactory.Instance);
        using (var stop = new CancellationTokenSource())
        {
            var run = Task.Run(() => host.RunAsync(stop.Token));
            await Eventually.TrueAsync(async () => !(await PlanAsync(fx, Policy)).HasChanges, "preview with the Deployment's settings matches the operator");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
            await host.DisposeAsync();
        }

        using var client = PreviewClient(fx);
        var cluster = await LiveCluster.ReadAsync(client, OperatorFixture.Namespace, CancellationToken.None);
        Assert.Equal($"{OperatorFixture.Namespace}/network-operator", cluster.OperatorDeployment);
        Assert.Equal(cniBin, ChangePlanner.Facts(cluster).CniBinDirectory);
        Assert.Equal("other/init:1", ChangePlanner.Facts(cluster, ofedInitContainerImage: "other/init:1").OfedInitContainerImage);

        // Without the Deployment the defaults apply, and the objects those settings shape would be updated.
        await fx.Client.AppsV1.DeleteNamespacedDeploymentAsync("network-operator", OperatorFixture.Namespace);
        var defaults = await PlanAsync(fx, Policy);
        var updated = defaults.Changes.Where(c => c.Action == ChangeAction.Update).ToList();
        Assert.Contains(updated, c => c.Kind == "DaemonSet" && c.State == StateNames.Ofed);
        Assert.Contains(updated, c => c.Kind == "DaemonSet" && c.State == StateNames.MultusCni);
    }

    private static V1Deployment OperatorDeployment(string initImage, string cniBin) => new()
    {
        Metadata = new V1ObjectMeta { Name = "network-operator", NamespaceProperty = OperatorFixture.Namespace },
        Spec = new V1DeploymentSpec
        {
            Replicas = 0,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "network-operator" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "network-operator" } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "network-operator", Image = "network-operator:test",
                            Env =
                            [
                                new V1EnvVar { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                                new V1EnvVar { Name = "OFED_INIT_CONTAINER_IMAGE", Value = initImage },
                                new V1EnvVar { Name = "CNI_BIN_DIR", Value = cniBin },
                            ],
                        },
                    ],
                },
            },
        },
    };

    private static Kubernetes PreviewClient(OperatorFixture fx) =>
        fx.Server.CreateClient(fx.Server.Authentication.AddToken(new NetworkOperator.Simulator.Auth.UserInfo(PreviewUser, [NetworkOperator.Simulator.Auth.UserInfo.MastersGroup])));

    private static async Task<ChangePlan> PlanAsync(OperatorFixture fx, string yaml)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("preview-").FullName, "policy.yaml");
        await File.WriteAllTextAsync(file, yaml);
        using var client = PreviewClient(fx);
        var cluster = await LiveCluster.ReadAsync(client, OperatorFixture.Namespace, CancellationToken.None);
        var input = RenderInput.Load([file], null, cluster.ValidationContext);
        Assert.Empty(input.Errors);
        return ChangePlanner.Plan(input.Resources, cluster, ChangePlanner.Facts(cluster, input.ConfigMapKeys));
    }
}
