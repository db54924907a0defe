using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>The operator host runs the driver-upgrade controller next to the policy controllers.</summary>
public sealed class UpgradeWiringTests
{
    [Fact]
    public async Task Operator_clears_a_leftover_upgrade_state_when_the_policy_has_no_auto_upgrade()
    {
        await using var fx = await OperatorFixture.StartAsync();
        var node = TestNodes.Joined("worker-1");
        node.Metadata.Labels[Labels.UpgradeState] = "upgrade-done";
        await fx.Client.CoreV1.CreateNodeAsync(node);

        await fx.ApplyYamlAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              secondaryNetwork:
                cniPlugins:
                  image: plugins
                  repository: ghcr.io/k8snetworkplumbingwg
                  version: v1.5.0
            """);

        // Cleanup: with auto-upgrade off (here: no driver at all) the upgrade flow removes its state label from nodes.
        await Eventually.TrueAsync(async () =>
            !(await fx.Client.CoreV1.ReadNodeAsync("worker-1")).Metadata.Labels.ContainsKey(Labels.UpgradeState),
            "upgrade-state label removed by the upgrade controller");
    }
}
