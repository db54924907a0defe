using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.NodeLabels;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.NodeLabels;

/// <summary>
/// <c>mofed.wait</c> travels with the upgrade's own transitions while it restarts a driver pod, and the planner keeps
/// its hands off meanwhile, so a node's upgrade writes the label in no patch of its own.
/// </summary>
public sealed class UpgradeWaitLabelTests
{
    [Theory]
    [InlineData(UpgradeStates.DrainRequired, UpgradeStates.PodRestartRequired, "false", "true")]
    [InlineData(UpgradeStates.NodeMaintenanceRequired, UpgradeStates.PodRestartRequired, "false", "true")]
    [InlineData(UpgradeStates.DrainRequired, UpgradeStates.PodRestartRequired, "true", null)]
    [InlineData(UpgradeStates.PodRestartRequired, UpgradeStates.UpgradeDone, "true", "false")]
    [InlineData(UpgradeStates.PodRestartRequired, UpgradeStates.UncordonRequired, "true", "false")]
    [InlineData(UpgradeStates.PodRestartRequired, UpgradeStates.UpgradeFailed, "true", null)]
    [InlineData(UpgradeStates.UpgradeDone, UpgradeStates.DrainRequired, "false", null)]
    [InlineData(UpgradeStates.UpgradeFailed, UpgradeStates.UpgradeDone, "false", null)]
    public void The_upgrade_writes_mofed_wait_only_into_and_out_of_the_driver_restart(string from, string to, string current, string? expected) =>
        Assert.Equal(expected, UpgradeWaitLabel.For(from, to, current));

    [Fact]
    public void A_node_without_the_label_yet_is_left_to_the_planner() =>
        Assert.Null(UpgradeWaitLabel.For(UpgradeStates.DrainRequired, UpgradeStates.PodRestartRequired, null));

    [Fact]
    public void The_planner_leaves_a_node_in_pod_restart_required_alone_while_an_upgrade_runs()
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = "a",
                Labels = new Dictionary<string, string>
                {
                    [Labels.NicPresent] = "true", [Labels.MofedWait] = "true", [Labels.UpgradeState] = UpgradeStates.PodRestartRequired,
                },
            },
        };

        // The old driver pod, still ready: the upgrade has set "true" and is about to delete it.
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "mofed-a", Labels = new Dictionary<string, string> { [Labels.OfedDriver] = string.Empty, [Labels.DsOwner] = Labels.DsOwnerClusterPolicy },
            },
            Spec = new V1PodSpec { NodeName = "a" },
            Status = new V1PodStatus { ContainerStatuses = [new V1ContainerStatus { Name = WaitLabelPlanner.DriverContainer, Ready = true }] },
        };
        var policies = new DriverPolicies { ClusterPolicyHasDriver = true, ClusterPolicyHasNicConfigurationOperator = true };

        Assert.True(WaitLabelPlanner.Plan([node], [pod], [], policies with { AutoUpgrade = true }).IsEmpty);

        // Without an upgrade running, nobody else would write it: the planner does.
        var plan = WaitLabelPlanner.Plan([node], [pod], [], policies);
        Assert.Equal("false", plan.Changes["a"][Labels.MofedWait]);
    }
}
