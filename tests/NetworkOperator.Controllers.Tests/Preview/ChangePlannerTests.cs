using k8s;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Preview;
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
        await fx.AddNodeAsync(OperatorFixture.NicNode("worker-1"));
        await fx.AddNodeAsync(OperatorFixture.NicNode("worker-2"));
        await fx.AddNodeAsync(OperatorFixture.NicNode("worker-3", kernel: "6.8.0-31-generic"));

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
        await OperatorFixture.Eventually(async () => !(settled = await PlanAsync(fx, Policy)).HasChanges, "operator applied everything the plan shows");
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

    private static async Task<ChangePlan> PlanAsync(OperatorFixture fx, string yaml)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("preview-").FullName, "policy.yaml");
        await File.WriteAllTextAsync(file, yaml);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = fx.Server.BaseAddress.ToString().TrimEnd('/'), AccessToken = PreviewUser });
        var cluster = await LiveCluster.ReadAsync(client, OperatorFixture.Namespace, CancellationToken.None);
        var input = RenderInput.Load([file], null, cluster.ValidationContext);
        Assert.Empty(input.Errors);
        return ChangePlanner.Plan(input.Resources, cluster, ChangePlanner.Facts(cluster, input.ConfigMapKeys));
    }
}
