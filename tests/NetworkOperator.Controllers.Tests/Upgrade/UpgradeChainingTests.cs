using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// <see cref="UpgradeStateMachine.DecideChained"/>: the steps a node can take from the snapshot alone land in one pass
/// (hence one node write), while the bounds of the one-step flow still hold.
/// </summary>
public sealed class UpgradeChainingTests
{
    private const string N0 = "node-000";

    private static UpgradeWorld ChainedWorld(int nodes, int parallel, WaitForCompletionOptions? wait = null)
    {
        var world = new UpgradeWorld(nodes, new UpgradePolicy
        {
            AutoUpgrade = true, MaxParallelUpgrades = parallel, Drain = new DrainOptions(), WaitForCompletion = wait,
        }) { Chained = true };
        world.RunToQuiescence();
        world.BumpTemplate();
        return world;
    }

    // Passes in which the plan wrote to the node (label, annotation or cordon): one node patch each.
    private static int WritesTo(string node, IEnumerable<UpgradePlan> plans) => plans.Count(p => p.Actions.Any(a => a switch
    {
        SetNodeState s => s.Node == node,
        MarkFailed f => f.Node == node,
        SetNodeAnnotation an => an.Node == node,
        SetNodeUnschedulable u => u.Node == node,
        _ => false,
    }));

    [Fact]
    public void A_node_with_a_free_slot_goes_from_done_to_drain_in_one_pass_then_takes_two_more_writes()
    {
        var world = ChainedWorld(1, 1);

        var start = world.Step();

        // Upgrade required, slot, cordon, no jobs to wait for, drain: one write carrying the state and the cordon.
        Assert.Equal(UpgradeStates.DrainRequired, world.StateOf(N0));
        Assert.True(world.Nodes[N0].Spec.Unschedulable);
        Assert.Single(start.Actions.OfType<StartDrain>());
        Assert.Single(start.Actions.OfType<RecordEvent>(), e => e.Reason == "UpgradeRequired");
        Assert.Equal(1, start.Summary.CountOf(UpgradeStates.DrainRequired));

        var drained = world.Step();
        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));
        Assert.Single(drained.Actions.OfType<DeleteDriverPod>());

        world.MakeDriversReady();
        var done = world.Step();
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.False(world.Nodes[N0].Spec.Unschedulable);
        Assert.Single(done.Actions.OfType<RecordEvent>(), e => e.Reason == "UpgradeDone");

        Assert.Equal(3, WritesTo(N0, [start, drained, done]));
        Assert.Empty(world.Step().Actions);
    }

    [Fact]
    public void Chained_passes_never_cordon_more_than_max_parallel_and_upgrade_everything_once()
    {
        var world = ChainedWorld(20, 3);
        var maxCordoned = 0;
        var plans = new List<UpgradePlan>();
        for (var pass = 0; pass < 200 && !world.Nodes.Keys.All(n => world.StateOf(n) == UpgradeStates.UpgradeDone
            && world.DriverPodOn(n).Metadata.Labels[Labels.ControllerRevisionHash] == "rev2"); pass++)
        {
            plans.Add(world.Step());
            world.MakeDriversReady();
            maxCordoned = Math.Max(maxCordoned, world.Nodes.Values.Count(n => n.Spec.Unschedulable == true));
        }

        Assert.Equal(3, maxCordoned);
        Assert.All(world.Nodes.Values, n => Assert.NotEqual(true, n.Spec.Unschedulable));
        Assert.Equal(20, world.Executed.OfType<StartDrain>().Count());
        Assert.Equal(20, world.Executed.OfType<DeleteDriverPod>().Select(d => d.Node).Distinct().Count());
        Assert.Equal(20, world.Executed.OfType<DeleteDriverPod>().Count());

        // Nodes that had to wait for a slot pay one write more (upgrade-required first), never more than four.
        Assert.All(world.Nodes.Keys, n => Assert.InRange(WritesTo(n, plans), 3, 4));
    }

    [Fact]
    public void A_node_finishing_in_a_pass_frees_its_slot_only_for_the_next_pass()
    {
        var world = ChainedWorld(2, 1);
        world.SetState(N0, UpgradeStates.PodRestartRequired);
        world.Nodes[N0].Spec.Unschedulable = true;
        world.Pods.Remove(world.DriverPodOn(N0));
        world.Pods.Add(world.NewDriverPod(N0, "rev2", ready: true));
        world.SetState("node-001", UpgradeStates.UpgradeRequired);

        var plan = world.Step();

        // node-000 went through uncordon to done; node-001 still waits: its cordon could otherwise land first.
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf("node-001"));
        Assert.DoesNotContain(plan.Actions, a => a is SetNodeUnschedulable { Node: "node-001" });

        world.Step();
        Assert.Equal(UpgradeStates.DrainRequired, world.StateOf("node-001"));
    }

    [Fact]
    public void With_wait_for_completion_the_chain_stops_where_the_jobs_are_waited_for()
    {
        var world = ChainedWorld(1, 1, new WaitForCompletionOptions("app=job", TimeSpan.Zero));
        world.AddWorkload(N0, "job-1", "Running", new Dictionary<string, string> { ["app"] = "job" });

        world.Step();

        // The wait-for-completion pods are listed only for nodes already waiting, so the next pass decides the wait.
        Assert.Equal(UpgradeStates.WaitForJobsRequired, world.StateOf(N0));
        Assert.True(world.Nodes[N0].Spec.Unschedulable);

        world.Step();
        Assert.Equal(UpgradeStates.WaitForJobsRequired, world.StateOf(N0));
    }

    [Fact]
    public void In_requestor_mode_a_node_requests_its_node_maintenance_in_the_pass_after_upgrade_required()
    {
        var world = ChainedWorld(1, 1);
        world.Maintenance = MaintenanceOptions.For(world.Identity, "nvidia.doca-driver-upgrade", "default", MaintenanceOptions.DefaultPrefix);

        var first = world.Step();
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));
        Assert.DoesNotContain(first.Actions, a => a is CreateNodeMaintenance);

        world.Step();
        Assert.Equal(UpgradeStates.NodeMaintenanceRequired, world.StateOf(N0));
        Assert.Single(world.NodeMaintenances);

        // Ready: straight on to the driver pod's restart in the same pass.
        world.MakeMaintenanceReady(N0);
        var ready = world.Step();
        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));
        Assert.Single(ready.Actions.OfType<DeleteDriverPod>());
    }
}
