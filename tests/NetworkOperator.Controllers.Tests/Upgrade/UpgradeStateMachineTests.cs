using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>One test (or more) per row of the in-place state table, on the pure decision function with a fake clock.</summary>
public sealed class UpgradeStateMachineTests
{
    private const string N0 = "node-000";

    [Fact]
    public void AutoUpgradeOff_DecidesNothing()
    {
        var world = new UpgradeWorld(2, UpgradePolicy.Disabled);
        world.BumpTemplate();

        var plan = world.Decide();

        Assert.Empty(plan.Actions);
        Assert.Equal(2, plan.Summary.CountOf("unknown"));
    }

    [Fact]
    public void A_pod_belongs_to_the_DaemonSets_its_references_name_by_uid_or_for_a_DaemonSet_without_uid_by_name()
    {
        var world = new UpgradeWorld(4);

        // node-001's pod names the DaemonSet twice; node-002's belongs to a ReplicaSet; node-003's to a second
        // DaemonSet known only by name (no uid), whose single pod it is.
        world.Pods[1].Metadata.OwnerReferences.Add(new V1OwnerReference { Kind = "DaemonSet", Name = UpgradeWorld.DsName, Uid = "ds-uid" });
        world.Pods[2].Metadata.OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = UpgradeWorld.DsName, Uid = "ds-uid" }];
        world.Pods[3].Metadata.OwnerReferences = [new V1OwnerReference { Kind = "DaemonSet", Name = "other-ds", Uid = "other-uid" }];
        var other = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "other-ds", NamespaceProperty = UpgradeWorld.Namespace },
            Spec = world.DaemonSet.Spec,
            Status = new V1DaemonSetStatus { DesiredNumberScheduled = 1 },
        };
        world.DaemonSet.Status.DesiredNumberScheduled = 2;

        var snapshot = world.Snapshot() with { DaemonSets = [world.DaemonSet, other] };
        var (nodes, stall) = UpgradeStateMachine.BuildNodes(snapshot);

        Assert.Equal(["node-000", "node-001", "node-003"], nodes.Select(n => n.Name));
        Assert.Equal([UpgradeWorld.DsName, UpgradeWorld.DsName, "other-ds"], nodes.Select(n => n.DaemonSet!.Metadata.Name));
        foreach (var node in nodes)
        {
            Assert.True(DriverPods.IsOwnedBy(node.DriverPod, node.DaemonSet!));
        }

        // Counted once: the doubly-referenced pod does not make the first DaemonSet look over-scheduled.
        Assert.DoesNotContain("should not have unscheduled pods", stall ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(new HashSet<string>(["node-000", "node-001", "node-003"]), UpgradeStateMachine.DecideChained(snapshot).ManagedNodes);
    }

    [Fact]
    public void Row1b_UnknownNodeWithPodInSync_BecomesDone()
    {
        var world = new UpgradeWorld(2);

        var plan = world.Step();

        Assert.Equal(2, plan.Actions.OfType<SetNodeState>().Count(s => s.State == UpgradeStates.UpgradeDone));
        Assert.All(world.Nodes.Keys, n => Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(n)));
        Assert.Equal(2, plan.Summary.CountOf(UpgradeStates.UpgradeDone));
    }

    [Fact]
    public void Row1b_UnknownNodeIsLeftToTheWaitLabelsUntilItsDriverIsReadyAndMofedWaitFalse()
    {
        // node-000: driver not ready yet; node-001: ready, but the wait-label controller has not written "false" yet
        // (it will, with upgrade-done in the same patch); node-002: both, so the upgrade marks it done.
        var world = new UpgradeWorld(3);
        UpgradeWorld.SetReady(world.DriverPodOn(N0), false, 0);
        world.Nodes[N0].Metadata.Labels.Remove(Labels.MofedWait);
        world.Nodes["node-001"].Metadata.Labels.Remove(Labels.MofedWait);

        var plan = world.Step();

        var moved = Assert.Single(plan.Actions.OfType<SetNodeState>());
        Assert.Equal("node-002", moved.Node);
        Assert.Equal(2, plan.Summary.CountOf("unknown"));

        world.MakeDriversReady();
        world.Nodes[N0].Metadata.Labels[Labels.MofedWait] = "false";
        world.Nodes["node-001"].Metadata.Labels[Labels.MofedWait] = "false";
        world.Step();
        Assert.All(world.Nodes.Keys, n => Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(n)));
    }

    [Fact]
    public void Row1_DoneNodeWithPodOutOfSync_BecomesUpgradeRequired()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.UpgradeDone);
        world.BumpTemplate();

        var plan = world.Step();

        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));
        Assert.DoesNotContain(plan.Actions, a => a is SetNodeAnnotation);
        var nodeEvent = plan.Actions.OfType<RecordEvent>().Single(e => e.Target == EventTarget.Node);
        Assert.Equal("UpgradeRequired", nodeEvent.Reason);
        Assert.Contains("not in sync", nodeEvent.Message, StringComparison.Ordinal);
        // Normal Events stay on the node: the policy gets only Warnings.
        Assert.DoesNotContain(plan.Actions.OfType<RecordEvent>(), e => e.Target == EventTarget.Policy);
    }

    [Fact]
    public void Row1_AlreadyCordonedNode_GetsInitialStateAnnotation()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.UpgradeDone);
        world.Nodes[N0].Spec.Unschedulable = true;
        world.BumpTemplate();

        world.Step();

        Assert.Equal("true", world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeInitialStateUnschedulable]);
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row1_UpgradeRequestedAnnotation_ForcesUpgradeOfSyncedPod()
    {
        var world = new UpgradeWorld(2);
        world.SetAllStates(UpgradeStates.UpgradeDone);
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeRequested] = "true";

        world.Step();

        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf("node-001"));

        // Row 2 of the transition table (docs/driver-upgrade.md) removes the request once the node is in upgrade-required.
        world.Step();
        Assert.False(world.Nodes[N0].Metadata.Annotations.ContainsKey(Annotations.UpgradeRequested));
        Assert.Equal(UpgradeStates.CordonRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row1_SafeLoadAnnotation_ForcesUpgradeAndRow7RemovesIt()
    {
        var world = new UpgradeWorld(1, new UpgradePolicy { AutoUpgrade = true, SafeLoad = true, Drain = new DrainOptions() });
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeWaitForSafeLoad] = "true";
        // A new node: the driver's init container blocks, so the pod is in sync but not ready.
        UpgradeWorld.SetReady(world.DriverPodOn(N0), false, 0);

        world.Step();
        Assert.Equal(UpgradeStates.UpgradeRequired, world.StateOf(N0));

        for (var i = 0; i < 5; i++)
        {
            world.Step();
        }

        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));
        Assert.True(world.Nodes[N0].Spec.Unschedulable);
        Assert.Contains(world.Executed, a => a is StartDrain);

        var plan = world.Step();
        Assert.Contains(plan.Actions, a => a is SetNodeAnnotation { Key: Annotations.UpgradeWaitForSafeLoad, Value: null });
        // The pod is in sync (never restarted), the driver now loads and becomes ready.
        Assert.DoesNotContain(plan.Actions, a => a is DeleteDriverPod);
        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));

        world.MakeDriversReady();
        world.RunToQuiescence();
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.False(world.Nodes[N0].Spec.Unschedulable);
    }

    [Fact]
    public void Row1_OrphanedPodInSyncTerms_IsNotUpgradedWithoutRequest()
    {
        var world = new UpgradeWorld(1);
        world.Pods.Clear();
        world.DaemonSet.Status.DesiredNumberScheduled = 0;
        world.Pods.Add(world.NewDriverPod(N0, "legacy", ready: true, orphan: true));
        world.SetAllStates(UpgradeStates.UpgradeDone);

        Assert.Empty(world.Decide().Actions);
    }

    [Fact]
    public void Row2_SkipLabel_KeepsNodeInUpgradeRequired()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.Nodes[N0].Metadata.Labels[Labels.UpgradeSkip] = "true";
        world.BumpTemplate();

        var plan = world.Decide();

        Assert.Empty(plan.Actions);
        var blocked = Assert.Single(plan.Summary.Blocked);
        Assert.Equal(N0, blocked.Node);
        Assert.Contains(Labels.UpgradeSkip, blocked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Row2_SlotsFromMaxParallelUpgrades()
    {
        var world = new UpgradeWorld(5, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 2, Drain = new DrainOptions() });
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.BumpTemplate();

        var plan = world.Step();

        Assert.Equal(2, plan.Actions.OfType<SetNodeState>().Count(s => s.State == UpgradeStates.CordonRequired));
        Assert.Equal(3, plan.Summary.Blocked.Count(b => b.Reason.Contains("slot", StringComparison.Ordinal)));
        // The two in progress hold their slots until they are done.
        plan = world.Step();
        Assert.DoesNotContain(plan.Actions, a => a is SetNodeState { State: UpgradeStates.CordonRequired });
    }

    [Fact]
    public void Row2_ZeroMaxParallelUpgrades_MeansUnlimited()
    {
        var world = new UpgradeWorld(7, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 0, Drain = new DrainOptions() });
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.BumpTemplate();

        var plan = world.Step();

        Assert.Equal(7, plan.Actions.OfType<SetNodeState>().Count(s => s.State == UpgradeStates.CordonRequired));
    }

    [Fact]
    public void Row2_FailedNodesHoldTheirSlot()
    {
        var world = new UpgradeWorld(3, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 1, Drain = new DrainOptions() });
        world.BumpTemplate();
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.SetState(N0, UpgradeStates.UpgradeFailed);

        var plan = world.Decide();

        Assert.DoesNotContain(plan.Actions, a => a is SetNodeState { State: UpgradeStates.CordonRequired });
    }

    [Fact]
    public void Row2_AlreadyCordonedNode_ProceedsWithoutSlot()
    {
        var world = new UpgradeWorld(3, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 1, Drain = new DrainOptions() });
        world.BumpTemplate();
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.SetState(N0, UpgradeStates.DrainRequired);
        world.DrainsInFlight[N0] = null;
        world.Nodes[N0].Spec.Unschedulable = true;
        world.Nodes["node-002"].Spec.Unschedulable = true;

        var plan = world.Decide();

        var moved = Assert.Single(plan.Actions.OfType<SetNodeState>());
        Assert.Equal("node-002", moved.Node);
        Assert.Equal(UpgradeStates.CordonRequired, moved.State);
    }

    [Theory]
    [InlineData("2", 10, 2)]
    [InlineData("25%", 10, 3)] // 2.5 rounds up
    [InlineData("10%", 10, 1)]
    [InlineData("1%", 10, 1)]
    [InlineData("0", 10, 0)]
    [InlineData("100%", 10, 10)]
    public void Row2_MaxUnavailableLimitsNewUpgrades(string maxUnavailable, int nodes, int expected)
    {
        var world = new UpgradeWorld(nodes,
            new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 0, MaxUnavailable = maxUnavailable, Drain = new DrainOptions() });
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.BumpTemplate();

        var plan = world.Decide();

        Assert.Equal(expected, plan.Actions.OfType<SetNodeState>().Count(s => s.State == UpgradeStates.CordonRequired));
    }

    [Fact]
    public void Row2_MaxUnavailableCountsNotReadyAndCordonedNodes()
    {
        var world = new UpgradeWorld(6,
            new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 5, MaxUnavailable = "3", Drain = new DrainOptions() });
        world.BumpTemplate();
        world.SetAllStates(UpgradeStates.UpgradeRequired);
        world.SetState(N0, UpgradeStates.UpgradeDone);
        world.Nodes[N0].Status.Conditions[0].Status = "False"; // NotReady, unrelated to the upgrade
        world.SetState("node-001", UpgradeStates.CordonRequired); // about to be cordoned

        var plan = world.Decide();

        // 3 allowed − (1 NotReady + 1 cordon-required) = 1 new node.
        Assert.Equal(1, plan.Actions.OfType<SetNodeState>().Count(s => s.State == UpgradeStates.CordonRequired));
    }

    [Fact]
    public void Row3_CordonRequired_CordonsAndMovesOn()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.CordonRequired);

        var plan = world.Step();

        Assert.Contains(new SetNodeUnschedulable(N0, true), plan.Actions);
        Assert.True(world.Nodes[N0].Spec.Unschedulable);
        Assert.Equal(UpgradeStates.WaitForJobsRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row3_AlreadyCordoned_IsNotCordonedAgain()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.CordonRequired);
        world.Nodes[N0].Spec.Unschedulable = true;

        var plan = world.Step();

        Assert.DoesNotContain(plan.Actions, a => a is SetNodeUnschedulable);
        Assert.Equal(UpgradeStates.WaitForJobsRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row4_NoSelector_GoesStraightToDrain()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.WaitForJobsRequired);

        world.Step();

        Assert.Equal(UpgradeStates.DrainRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row4_WaitsForRunningPods_ThenRow5ForwardsToDrain()
    {
        var world = new UpgradeWorld(1, new UpgradePolicy
        {
            AutoUpgrade = true, WaitForCompletion = new WaitForCompletionOptions("app=job", TimeSpan.Zero), Drain = new DrainOptions(),
        });
        world.SetAllStates(UpgradeStates.WaitForJobsRequired);
        var job = world.AddWorkload(N0, "job-1", "Running", new() { ["app"] = "job" });
        world.AddWorkload(N0, "other", "Running", new() { ["app"] = "web" });
        world.AddWorkload("node-elsewhere", "job-2", "Running", new() { ["app"] = "job" });

        var plan = world.Step();
        Assert.Empty(plan.Actions); // no timeout: no start-time annotation, just wait
        Assert.Contains("default/job-1", Assert.Single(plan.Summary.Blocked).Reason, StringComparison.Ordinal);

        job.Status.Phase = "Succeeded";
        world.Step();
        Assert.Equal(UpgradeStates.PodDeletionRequired, world.StateOf(N0));

        world.Step();
        Assert.Equal(UpgradeStates.DrainRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row4_Timeout_RecordsStartTimeAndGivesUpAfterIt()
    {
        var world = new UpgradeWorld(1, new UpgradePolicy
        {
            AutoUpgrade = true, WaitForCompletion = new WaitForCompletionOptions("app=job", TimeSpan.FromSeconds(600)),
            Drain = new DrainOptions(),
        });
        world.SetAllStates(UpgradeStates.WaitForJobsRequired);
        world.AddWorkload(N0, "job-1", "Pending", new() { ["app"] = "job" });
        var start = world.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var plan = world.Step();
        Assert.Equal(new SetNodeAnnotation(N0, Annotations.UpgradeWaitForPodCompletionStartTime, start), Assert.Single(plan.Actions));

        world.Advance(TimeSpan.FromSeconds(600));
        Assert.Empty(world.Step().Actions); // not yet past start + timeout
        Assert.Equal(start, world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeWaitForPodCompletionStartTime]);

        world.Advance(TimeSpan.FromSeconds(1));
        plan = world.Step();
        Assert.Contains(new SetNodeAnnotation(N0, Annotations.UpgradeWaitForPodCompletionStartTime, null), plan.Actions);
        Assert.Equal(UpgradeStates.PodDeletionRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row4_PodsFinishBeforeTimeout_ClearsStartTime()
    {
        var world = new UpgradeWorld(1, new UpgradePolicy
        {
            AutoUpgrade = true, WaitForCompletion = new WaitForCompletionOptions("app=job", TimeSpan.FromSeconds(600)),
        });
        world.SetAllStates(UpgradeStates.WaitForJobsRequired);
        var job = world.AddWorkload(N0, "job-1", "Running", new() { ["app"] = "job" });
        world.Step();
        job.Status.Phase = "Failed";

        var plan = world.Step();

        Assert.Contains(new SetNodeAnnotation(N0, Annotations.UpgradeWaitForPodCompletionStartTime, null), plan.Actions);
        Assert.Equal(UpgradeStates.PodDeletionRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row6_DrainDisabled_SkipsToPodRestart()
    {
        var world = new UpgradeWorld(1, new UpgradePolicy { AutoUpgrade = true, Drain = null });
        world.SetAllStates(UpgradeStates.DrainRequired);

        var plan = world.Step();

        Assert.DoesNotContain(plan.Actions, a => a is StartDrain);
        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row6_StartsDrainOnceAndWaitsWhileInFlight()
    {
        var options = new DrainOptions { Force = true, DeleteEmptyDir = true, PodSelector = UpgradePolicy.WithSkipClause("app=web"), Timeout = TimeSpan.FromSeconds(60) };
        var world = new UpgradeWorld(1, new UpgradePolicy { AutoUpgrade = true, Drain = options });
        world.SetAllStates(UpgradeStates.DrainRequired);

        var first = world.Decide();
        Assert.Equal(new StartDrain(N0, options), first.Actions.OfType<StartDrain>().Single());
        Assert.Equal("app=web," + Labels.DrainSkipSelector, options.PodSelector);

        world.DrainsInFlight[N0] = "eviction of pod default/web-0 blocked by PodDisruptionBudget web-pdb";
        var second = world.Decide();
        Assert.Empty(second.Actions);
        Assert.Equal("eviction of pod default/web-0 blocked by PodDisruptionBudget web-pdb", Assert.Single(second.Summary.Blocked).Reason);
    }

    [Fact]
    public void Row6_DrainSucceeded_MovesToPodRestart()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.DrainRequired);
        world.DrainOutcomes[N0] = DrainOutcome.Success(3);

        var plan = world.Step();

        Assert.Equal(UpgradeStates.PodRestartRequired, world.StateOf(N0));
        // A step inside the upgrade records no Event (only the start, the end and Warnings do).
        Assert.Empty(plan.Actions.OfType<RecordEvent>());
    }

    [Fact]
    public void Row6_DrainFailed_MarksFailedWithTheBlocker()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.DrainRequired);
        world.DrainOutcomes[N0] = DrainOutcome.Failure("timed out after 300s: eviction of pod default/web-0 blocked by PodDisruptionBudget web-pdb");

        var plan = world.Step();

        var failed = Assert.Single(plan.Actions.OfType<MarkFailed>());
        Assert.Contains("web-pdb", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(plan.Actions.OfType<RecordEvent>(), e => e.Warning && e.Reason == "UpgradeFailed");
        Assert.Equal(UpgradeStates.UpgradeFailed, world.StateOf(N0));
        Assert.Contains("web-pdb", Assert.Single(plan.Summary.Failed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Row7_PodOutOfSync_IsDeletedOnce()
    {
        var world = new UpgradeWorld(1);
        world.BumpTemplate();
        world.SetAllStates(UpgradeStates.PodRestartRequired);
        var old = world.DriverPodOn(N0);

        var plan = world.Decide();
        Assert.Equal(new DeleteDriverPod(N0, UpgradeWorld.Namespace, old.Metadata.Name, old.Metadata.Uid), plan.Actions.OfType<DeleteDriverPod>().Single());

        old.Metadata.DeletionTimestamp = DateTime.UtcNow; // terminating: not deleted again
        Assert.DoesNotContain(world.Decide().Actions, a => a is DeleteDriverPod);
    }

    [Fact]
    public void Row7_NewPodReady_MovesToUncordonThenRow10Done()
    {
        var world = new UpgradeWorld(1);
        world.BumpTemplate();
        world.SetAllStates(UpgradeStates.PodRestartRequired);
        world.Nodes[N0].Spec.Unschedulable = true;

        world.Step(); // deletes the old pod; the new one is not ready yet
        Assert.Empty(world.Step().Actions.OfType<SetNodeState>());
        world.MakeDriversReady();
        world.Step();
        Assert.Equal(UpgradeStates.UncordonRequired, world.StateOf(N0));

        var plan = world.Step();
        Assert.Contains(new SetNodeUnschedulable(N0, false), plan.Actions);
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
    }

    [Fact]
    public void Row7_NodeCordonedBeforeUpgrade_EndsDoneAndStaysCordoned()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.PodRestartRequired);
        world.Nodes[N0].Spec.Unschedulable = true;
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeInitialStateUnschedulable] = "true";

        var plan = world.Step();

        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.Contains(new SetNodeAnnotation(N0, Annotations.UpgradeInitialStateUnschedulable, null), plan.Actions);
        Assert.True(world.Nodes[N0].Spec.Unschedulable);
        Assert.DoesNotContain(plan.Actions, a => a is SetNodeUnschedulable);
    }

    [Fact]
    public void Row7_DriverRestartingMoreThanTenTimes_Fails()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.PodRestartRequired);
        UpgradeWorld.SetReady(world.DriverPodOn(N0), false, 10);
        Assert.Empty(world.Decide().Actions.OfType<MarkFailed>()); // 10 is still tolerated

        UpgradeWorld.SetReady(world.DriverPodOn(N0), false, 11);
        var plan = world.Step();

        Assert.Contains("11 restarts", Assert.Single(plan.Actions.OfType<MarkFailed>()).Reason, StringComparison.Ordinal);
        Assert.Equal(UpgradeStates.UpgradeFailed, world.StateOf(N0));
    }

    [Fact]
    public void Row7_FailingInitContainer_Fails()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.PodRestartRequired);
        var pod = world.DriverPodOn(N0);
        pod.Status.Phase = "Pending";
        pod.Status.InitContainerStatuses = [new V1ContainerStatus { Name = "init", Ready = false, RestartCount = 12 }];

        Assert.Contains("init", Assert.Single(world.Decide().Actions.OfType<MarkFailed>()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Row7_OrphanedPod_IsDeletedAndReplacedByTheDaemonSetPod()
    {
        // Migration: the legacy DaemonSet was deleted with orphan propagation; the new one already placed its pod.
        var world = new UpgradeWorld(1);
        world.Pods.Add(world.NewDriverPod(N0, "legacy", ready: true, orphan: true));
        world.SetAllStates(UpgradeStates.UpgradeDone);
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeRequested] = "true";

        world.RunToQuiescence();

        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.False(DriverPods.IsOrphaned(world.DriverPodOn(N0)));
        Assert.Single(world.Executed.OfType<DeleteDriverPod>());
    }

    [Fact]
    public void Row8_FailedNode_RecoversWhenPodInSyncAndReady()
    {
        var world = new UpgradeWorld(2);
        world.SetAllStates(UpgradeStates.UpgradeFailed);
        world.Nodes[N0].Spec.Unschedulable = true;
        UpgradeWorld.SetReady(world.DriverPodOn("node-001"), false, 30);

        var plan = world.Step();

        Assert.Equal(UpgradeStates.UncordonRequired, world.StateOf(N0));
        Assert.Equal(UpgradeStates.UpgradeFailed, world.StateOf("node-001"));
        Assert.Contains("30 restarts", Assert.Single(plan.Summary.Failed).Reason, StringComparison.Ordinal);
        world.Step();
        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.False(world.Nodes[N0].Spec.Unschedulable);
    }

    [Fact]
    public void Row8_FailedNodeCordonedBeforeUpgrade_GoesStraightToDone()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.UpgradeFailed);
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeInitialStateUnschedulable] = "true";

        world.Step();

        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
        Assert.False(world.Nodes[N0].Metadata.Annotations.ContainsKey(Annotations.UpgradeInitialStateUnschedulable));
    }

    [Fact]
    public void Row8_FailedNodeWithOldPod_StaysFailed()
    {
        var world = new UpgradeWorld(1);
        world.BumpTemplate();
        world.SetAllStates(UpgradeStates.UpgradeFailed);

        Assert.Empty(world.Decide().Actions);
    }

    [Fact]
    public void Row9_ValidationRequired_IsNotLeftStuck()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.ValidationRequired);

        world.Step();

        Assert.Equal(UpgradeStates.UncordonRequired, world.StateOf(N0));
    }

    [Fact]
    public void Row10_RequestorModeNode_IsNotUncordonedInPlace()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates(UpgradeStates.UncordonRequired);
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeRequestorMode] = "true";

        Assert.Empty(world.Decide().Actions);
    }

    [Fact]
    public void UnrecognisedStateValue_IsTreatedAsUnknown()
    {
        var world = new UpgradeWorld(1);
        world.SetAllStates("garbage");

        world.Step();

        Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(N0));
    }

    [Fact]
    public void DaemonSetWithUnscheduledPods_StallsThePass()
    {
        var world = new UpgradeWorld(3);
        world.BumpTemplate();
        world.DaemonSet.Status.DesiredNumberScheduled = 4;

        var plan = world.Decide();

        Assert.Empty(plan.Actions);
        Assert.Contains("unscheduled pods", plan.Stalled, StringComparison.Ordinal);
    }

    [Fact]
    public void StalledPass_StillMarksNodesSeenForTheFirstTimeWithAReadyInSyncDriverDone()
    {
        // An install: the pool's DaemonSet is still short of pods, the nodes it already covers have ready drivers.
        var world = new UpgradeWorld(3);
        world.DaemonSet.Status.DesiredNumberScheduled = 4;
        UpgradeWorld.SetReady(world.DriverPodOn("node-002"), false, 0);
        world.SetState("node-001", UpgradeStates.UpgradeRequired);

        var plan = world.Decide();

        Assert.Contains("unscheduled pods", plan.Stalled, StringComparison.Ordinal);
        var moved = Assert.Single(plan.Actions.OfType<SetNodeState>());
        Assert.Equal((N0, UpgradeStates.UpgradeDone), (moved.Node, moved.State));
    }

    [Fact]
    public void ReplacementPodNotYetBoundToItsNode_StallsThePass()
    {
        // Read from a cache, the replacement can be seen between its creation and its binding: it must not count for a
        // node, or the node it replaces would vanish from the managed set and free a parallel-upgrade slot it holds.
        var world = new UpgradeWorld(3);
        world.BumpTemplate();
        world.Pods[0].Spec.NodeName = null;

        var plan = world.Decide();

        Assert.Empty(plan.Actions);
        Assert.Contains("unscheduled pods", plan.Stalled, StringComparison.Ordinal);
    }

    [Fact]
    public void FullUpgrade_NeverExceedsMaxParallelCordonedNodes()
    {
        var world = new UpgradeWorld(20, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 3, Drain = new DrainOptions() });
        world.RunToQuiescence();
        world.BumpTemplate();
        var maxCordoned = 0;

        world.RunToQuiescence(afterPass: w => maxCordoned = Math.Max(maxCordoned, w.Nodes.Values.Count(n => n.Spec.Unschedulable == true)));

        Assert.Equal(3, maxCordoned);
        Assert.All(world.Nodes.Keys, n => Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(n)));
        Assert.All(world.Nodes.Values, n => Assert.NotEqual(true, n.Spec.Unschedulable));
        Assert.All(world.Pods, p => Assert.Equal("rev2", DriverPods.RevisionHashOf(p)));
        Assert.Equal(20, world.Executed.OfType<StartDrain>().Count());
        Assert.Equal(20, world.Executed.OfType<DeleteDriverPod>().Count());
    }

    [Fact]
    public void SameSnapshotTwice_GivesTheSamePlan()
    {
        var world = new UpgradeWorld(6, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 2, Drain = new DrainOptions() });
        world.BumpTemplate();
        var states = new[]
        {
            UpgradeStates.Unknown, UpgradeStates.UpgradeRequired, UpgradeStates.CordonRequired, UpgradeStates.DrainRequired,
            UpgradeStates.PodRestartRequired, UpgradeStates.UncordonRequired,
        };
        var i = 0;
        foreach (var node in world.Nodes.Keys)
        {
            world.SetState(node, states[i++]);
        }

        var snapshot = world.Snapshot();
        var first = UpgradeStateMachine.Decide(snapshot);
        var second = UpgradeStateMachine.Decide(snapshot);

        Assert.Equal(first.Actions, second.Actions);
        Assert.Equal(first.Summary.NodeCountsByState, second.Summary.NodeCountsByState);
    }

    [Fact]
    public void RestartMidUpgrade_ResumesFromLabelsAndNeverRedrainsFinishedNodes()
    {
        var world = new UpgradeWorld(6, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 2, Drain = new DrainOptions() });
        world.RunToQuiescence();
        world.BumpTemplate();
        for (var i = 0; i < 9; i++)
        {
            world.Step();
            world.MakeDriversReady();
        }

        var finished = world.Nodes.Keys.Where(n => world.StateOf(n) == UpgradeStates.UpgradeDone && DriverPods.RevisionHashOf(world.DriverPodOn(n)) == "rev2").ToList();
        Assert.NotEmpty(finished);
        Assert.Contains(world.Nodes.Keys, n => world.StateOf(n) != UpgradeStates.UpgradeDone);

        // A new process knows nothing in memory: no drains in flight, no outcomes.
        world.DrainsInFlight.Clear();
        world.DrainOutcomes.Clear();
        var drainsBefore = world.Executed.OfType<StartDrain>().Select(d => d.Node).ToList();
        world.RunToQuiescence();

        var drainsAfter = world.Executed.OfType<StartDrain>().Select(d => d.Node).Skip(drainsBefore.Count).ToList();
        Assert.Empty(drainsAfter.Intersect(finished));
        Assert.All(world.Nodes.Keys, n => Assert.Equal(UpgradeStates.UpgradeDone, world.StateOf(n)));
    }

    [Fact]
    public void Cleanup_RemovesLabelsAndUncordonsOnlyWhatTheUpgradeCordoned()
    {
        var world = new UpgradeWorld(3);
        world.SetState(N0, UpgradeStates.DrainRequired);
        world.Nodes[N0].Spec.Unschedulable = true;
        world.Nodes[N0].Metadata.Annotations[Annotations.UpgradeWaitForPodCompletionStartTime] = "1";
        world.SetState("node-001", UpgradeStates.PodRestartRequired);
        world.Nodes["node-001"].Spec.Unschedulable = true;
        world.Nodes["node-001"].Metadata.Annotations[Annotations.UpgradeInitialStateUnschedulable] = "true";

        var actions = UpgradeStateMachine.Cleanup(world.Nodes.Values);

        Assert.Equal(
        [
            new SetNodeUnschedulable(N0, false),
            new SetNodeAnnotation(N0, Annotations.UpgradeWaitForPodCompletionStartTime, null),
            new SetNodeState(N0, null),
            new SetNodeAnnotation("node-001", Annotations.UpgradeInitialStateUnschedulable, null),
            new SetNodeState("node-001", null),
        ], actions);
    }
}
