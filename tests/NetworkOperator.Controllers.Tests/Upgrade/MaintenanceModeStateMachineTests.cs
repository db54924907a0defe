using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>Maintenance-operator ("requestor") mode (rows M1–M3 of the transition table in docs/driver-upgrade.md) on the pure decision function.</summary>
public sealed class MaintenanceModeStateMachineTests
{
    private const string N0 = "node-000";
    private const string Requestor = "nvidia.doca-driver-upgrade";

    private static UpgradeWorld RequestorWorld(int nodes, string prefix = MaintenanceOptions.DefaultPrefix, UpgradePolicy? policy = null)
    {
        var world = new UpgradeWorld(nodes, policy ?? new UpgradePolicy
        {
            AutoUpgrade = true, MaxParallelUpgrades = 1,
            Drain = new DrainOptions { Force = true, Timeout = TimeSpan.FromSeconds(90), PodSelector = "app=x," + Labels.DrainSkipSelector },
            WaitForCompletion = new WaitForCompletionOptions("job=batch", TimeSpan.FromSeconds(30)),
        })
        {
            Maintenance = new MaintenanceOptions(Requestor, "maintenance", prefix),
        };
        world.SetAllStates(UpgradeStates.UpgradeDone);
        world.BumpTemplate();
        return world;
    }

    [Fact]
    public void UpgradeRequired_CreatesANodeMaintenancePerNode_WithoutSlotsCordonOrDrain()
    {
        var world = RequestorWorld(3);
        world.Step();

        var plan = world.Step();

        var creates = plan.Actions.OfType<CreateNodeMaintenance>().ToList();
        Assert.Equal(3, creates.Count); // maxParallelUpgrades 1 does not apply: the maintenance operator limits parallelism
        var first = creates.Single(c => c.Node == N0);
        Assert.Equal(("maintenance", "nvidia-operator-node-000", Requestor), (first.Namespace, first.Name, first.RequestorId));
        Assert.Equal(world.Policy.Drain, first.Drain);
        Assert.Equal(world.Policy.WaitForCompletion, first.WaitForCompletion);
        Assert.All(world.Nodes.Keys, n => Assert.Equal(UpgradeStates.NodeMaintenanceRequired, world.StateOf(n)));
        Assert.All(world.Nodes.Values, n => Assert.Equal("true", n.Metadata.Annotations[Annotations.UpgradeRequestorMode]));
        Assert.DoesNotContain(plan.Actions, a => a is SetNodeUnschedulable or StartDrain);
    }

    [Fact]
    public void NodeMaintenanceRequired_WaitsForReady_ThenRestartsTheDriverAndReleasesTheMaintenance()
    {
        var world = RequestorWorld(1);
        world.Step();
        world.Step();

        var waiting = world.Step();
        Assert.Empty(waiting.Actions);
        Assert.Equal(UpgradeStates.NodeMaintenanceRequired, world.StateOf(N0));
        Assert.Contains("waiting for NodeMaintenance maintenance/nvidia-operator-node-000 to become Ready",
            waiting.Summary.Blocked.Single().Reason, StringComparison.Ordinal);

        world.MakeMaintenanceReady(N0);
        world.Step();
        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));
        Assert.Single(world.Step().Actions.OfType<DeleteDriverPod>());
        world.MakeDriversReady();
        world.Step();
        Assert.Equal(UpgradeStates.UncordonRequired, world.StateOf(N0));

        var release = world.Step();
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.Equal(new DeleteNodeMaintenance("maintenance", "nvidia-operator-node-000"), release.Actions.OfType<DeleteNodeMaintenance>().Single());
        Assert.False(world.Nodes[N0].Metadata.Annotations.ContainsKey(Annotations.UpgradeRequestorMode));
        Assert.Empty(world.NodeMaintenances);

        // The operator never cordons or uncordons in this mode: the maintenance operator does (it still holds the cordon here).
        Assert.DoesNotContain(world.Executed, a => a is SetNodeUnschedulable or StartDrain);
        Assert.Empty(world.Step().Actions);
    }

    [Fact]
    public void NodeMaintenanceRequired_WithTheObjectGone_GoesBackToUpgradeRequired()
    {
        var world = RequestorWorld(1);
        world.Step();
        world.Step();
        world.NodeMaintenances.Clear();

        world.Step();
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));

        var again = world.Step();
        Assert.Single(again.Actions.OfType<CreateNodeMaintenance>());
        Assert.Equal(UpgradeStates.NodeMaintenanceRequired, world.StateOf(N0));
    }

    [Fact]
    public void AnotherRequestorsMaintenance_IsJoinedWithTheDefaultPrefix_AndLeftAtTheEnd()
    {
        var world = RequestorWorld(1);
        world.NodeMaintenances.Add(new NodeMaintenanceInfo("maintenance", "nvidia-operator-node-000", N0, "gpu-operator", [], false, false, "7"));
        world.Step();

        var join = world.Step();
        Assert.Empty(join.Actions.OfType<CreateNodeMaintenance>());
        Assert.Equal(new AddNodeMaintenanceRequestor("maintenance", "nvidia-operator-node-000", Requestor, "7"),
            join.Actions.OfType<AddNodeMaintenanceRequestor>().Single());

        world.MakeMaintenanceReady(N0);
        world.Step();
        world.Step();
        world.MakeDriversReady();
        world.Step();
        var release = world.Step();

        Assert.Empty(release.Actions.OfType<DeleteNodeMaintenance>());
        Assert.Single(release.Actions.OfType<RemoveNodeMaintenanceRequestor>());
        Assert.Equal(("gpu-operator", 0), (world.NodeMaintenances.Single().RequestorId, world.NodeMaintenances.Single().AdditionalRequestors.Count));
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
    }

    [Fact]
    public void AnotherRequestorsMaintenance_WithACustomPrefix_BlocksTheNode()
    {
        var world = RequestorWorld(1, prefix: "network-operator");
        world.NodeMaintenances.Add(new NodeMaintenanceInfo("maintenance", "network-operator-node-000", N0, "someone-else", [], false, false, "7"));
        world.Step();

        var plan = world.Step();

        Assert.DoesNotContain(plan.Actions, a => a is CreateNodeMaintenance or AddNodeMaintenanceRequestor);
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));
        Assert.Contains("belongs to requestor someone-else", plan.Summary.Blocked.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipLabel_HoldsTheNodeInRequestorModeToo()
    {
        var world = RequestorWorld(2);
        world.Nodes[N0].Metadata.Labels[Labels.UpgradeSkip] = "true";
        world.Step();

        var plan = world.Step();

        Assert.DoesNotContain(plan.Actions.OfType<CreateNodeMaintenance>(), c => c.Node == N0);
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));
        Assert.Equal(UpgradeStates.NodeMaintenanceRequired, world.StateOf("node-001"));
    }

    [Fact]
    public void NodeCordonedBeforeTheUpgrade_StillReleasesItsMaintenance()
    {
        var world = RequestorWorld(1);
        world.Nodes[N0].Spec.Unschedulable = true;
        world.Step();
        Assert.Equal("true", world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeInitialStateUnschedulable]);
        world.Step();
        world.MakeMaintenanceReady(N0);
        world.Step();
        world.Step();
        world.MakeDriversReady();
        world.Step();

        var release = world.Step();

        Assert.Single(release.Actions.OfType<DeleteNodeMaintenance>());
        Assert.False(world.Nodes[N0].Metadata.Annotations.ContainsKey(Annotations.UpgradeInitialStateUnschedulable));
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
    }

    [Fact]
    public void UnusableNodeMaintenanceApi_StallsThePass()
    {
        var world = RequestorWorld(1);
        var plan = UpgradeStateMachine.Decide(world.Snapshot() with { MaintenanceUnavailable = "NodeMaintenance CRD is not installed" });

        Assert.Empty(plan.Actions);
        Assert.Equal("NodeMaintenance CRD is not installed", plan.Stalled);
    }

    [Fact]
    public void InPlaceNodesMidFlight_FinishInPlace_WhenRequestorModeIsSwitchedOn()
    {
        var world = RequestorWorld(1);
        world.SetState(N0, UpgradeStates.UncordonRequired);
        world.Nodes[N0].Spec.Unschedulable = true;
        world.BumpTemplate("rev1"); // back in sync: nothing else to do

        var plan = world.Step();

        Assert.Contains(new SetNodeUnschedulable(N0, false), plan.Actions);
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
    }

    [Fact]
    public void CleanupMaintenance_DeletesOwnedObjects_LeavesJoinedOnes_IgnoresOthers()
    {
        NodeMaintenanceInfo[] objects =
        [
            new("maintenance", "nvidia-operator-a", "a", Requestor, [], true, false, "1"),
            new("maintenance", "nvidia-operator-b", "b", "other", [Requestor, "third"], true, false, "2"),
            new("maintenance", "nvidia-operator-c", "c", "other", [], true, false, "3"),
            new("maintenance", "nvidia-operator-d", "d", Requestor, [], true, true, "4"),
        ];

        var actions = UpgradeStateMachine.CleanupMaintenance(objects, Requestor);

        Assert.Equal<UpgradeAction>(
        [
            new DeleteNodeMaintenance("maintenance", "nvidia-operator-a"),
            new RemoveNodeMaintenanceRequestor("maintenance", "nvidia-operator-b", Requestor, "2"),
        ], actions);
    }

    [Fact]
    public void Cleanup_RemovesTheRequestorModeAnnotation()
    {
        var world = RequestorWorld(1);
        world.SetState(N0, UpgradeStates.NodeMaintenanceRequired);
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeRequestorMode] = "true";

        var actions = UpgradeStateMachine.Cleanup(world.Nodes.Values);

        Assert.Contains(new SetNodeAnnotation(N0, Annotations.UpgradeRequestorMode, null), actions);
        Assert.Contains(new SetNodeState(N0, null), actions);
    }

    [Fact]
    public void RequestorIds_AreTheBaseForTheClusterPolicyAndDerivedForNodePolicies()
    {
        Assert.Equal("base", MaintenanceOptions.For(PolicyIdentity.ForClusterPolicy(), "base", "ns", "p").RequestorId);
        Assert.Equal("base-nnp-rack1", MaintenanceOptions.For(PolicyIdentity.ForNodePolicy("rack1"), "base", "ns", "p").RequestorId);
        Assert.Equal(MaintenanceOptions.DefaultRequestorId, MaintenanceOptions.For(PolicyIdentity.ForClusterPolicy(), null, "ns", "p").RequestorId);
        Assert.Equal("p-node-1", MaintenanceOptions.For(PolicyIdentity.ForClusterPolicy(), null, "ns", "p").NodeMaintenanceName("node-1"));
    }
}
