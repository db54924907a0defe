using k8s.Models;
using NetworkOperator.Simulator.Cluster.Controllers;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class DaemonSetLogicTests
{
    private static Dictionary<string, DaemonPlacement> Placements(V1DaemonSet ds, params V1Node[] nodes) =>
        nodes.ToDictionary(n => n.Metadata.Name, n => DaemonSetEligibility.Evaluate(n, ds));

    private static V1Pod DaemonPod(V1DaemonSet ds, string node, string hash, bool ready = true, int age = 10)
    {
        var pod = DaemonPodFactory.Create(ds, node, hash);
        pod.Metadata.Name = $"{ds.Metadata.Name}-{node}-{hash}";
        pod.Metadata.CreationTimestamp = TestObjects.Now.AddMinutes(-age);
        pod.Spec.NodeName = node;
        return TestObjects.WithReady(pod, ready);
    }

    [Fact]
    public void Eligibility_follows_selector_affinity_and_taints_and_tolerates_cordons()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["feature.node.kubernetes.io/pci-15b3.present"] = "true" };
        ds.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        var plain = TestObjects.Node("plain");
        var cpuOnly = TestObjects.Node("cpu-only");
        cpuOnly.Metadata.Labels.Remove("feature.node.kubernetes.io/pci-15b3.present");
        var gpu = TestObjects.Node("gpu", taints: [new V1Taint { Key = "nvidia.com/gpu", Effect = "NoSchedule" }]);
        var master = TestObjects.Node("master", taints: [new V1Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }]);
        var evicting = TestObjects.Node("evicting", taints: [new V1Taint { Key = "maintenance", Effect = "NoExecute" }]);
        var cordoned = TestObjects.Node("cordoned", unschedulable: true,
            taints: [new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }]);
        var notReady = TestObjects.Node("not-ready", taints: [new V1Taint { Key = "node.kubernetes.io/not-ready", Effect = "NoExecute" }]);

        Assert.Equal(new DaemonPlacement(true, true), DaemonSetEligibility.Evaluate(plain, ds));
        Assert.Equal(new DaemonPlacement(false, false), DaemonSetEligibility.Evaluate(cpuOnly, ds));
        Assert.Equal(new DaemonPlacement(true, true), DaemonSetEligibility.Evaluate(gpu, ds));
        Assert.Equal(new DaemonPlacement(false, true), DaemonSetEligibility.Evaluate(master, ds));
        Assert.Equal(new DaemonPlacement(false, false), DaemonSetEligibility.Evaluate(evicting, ds));
        Assert.Equal(new DaemonPlacement(true, true), DaemonSetEligibility.Evaluate(cordoned, ds));
        Assert.Equal(new DaemonPlacement(true, true), DaemonSetEligibility.Evaluate(notReady, ds));
    }

    [Fact]
    public void Daemon_pods_carry_the_labels_owner_tolerations_and_node_pin_of_the_real_controller()
    {
        var ds = TestObjects.DaemonSet(generation: 3);
        ds.Spec.Template.Spec.HostNetwork = true;
        var pod = DaemonPodFactory.Create(ds, "node-7", "6d5b8c7f9");

        Assert.Equal("agent-", pod.Metadata.GenerateName);
        Assert.Equal("6d5b8c7f9", pod.Metadata.Labels["controller-revision-hash"]);
        Assert.Equal("3", pod.Metadata.Labels["pod-template-generation"]);
        Assert.Equal("agent", pod.Metadata.Labels["app"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.True(owner.Controller);
        Assert.Equal(("DaemonSet", "agent", "uid-agent"), (owner.Kind, owner.Name, owner.Uid));
        Assert.Equal("node-7", DaemonPodFactory.TargetNode(pod));
        Assert.Contains(pod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/unschedulable" && t.Effect == "NoSchedule");
        Assert.Contains(pod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/network-unavailable");
        Assert.Equal(7, pod.Spec.Tolerations.Count);
        Assert.Null(ds.Spec.Template.Spec.Tolerations);
    }

    [Fact]
    public void Revision_hash_is_stable_changes_with_the_template_and_the_collision_count_and_uses_the_safe_alphabet()
    {
        var ds = TestObjects.DaemonSet();
        var first = ControllerRevisionHash.Compute(ds.Spec.Template, null);
        Assert.Equal(first, ControllerRevisionHash.Compute(TestObjects.DaemonSet().Spec.Template, null));
        Assert.Matches("^[4-9bcdf]{1,10}$", first);
        Assert.NotEqual(first, ControllerRevisionHash.Compute(ds.Spec.Template, 1));
        ds.Spec.Template.Spec.Containers[0].Image = "example/agent:v2";
        Assert.NotEqual(first, ControllerRevisionHash.Compute(ds.Spec.Template, null));
        Assert.Equal("45678", ControllerRevisionHash.SafeEncode("01234"));
    }

    [Fact]
    public void Revisions_grow_and_a_rollback_reuses_the_old_revision_with_the_next_number()
    {
        var ds = TestObjects.DaemonSet();
        var v1 = ControllerRevisions.Build(ds, "aaa", 1);
        var v2 = ControllerRevisions.Build(ds, "bbb", 2);
        Assert.Equal("agent-aaa", v1.Metadata.Name);
        Assert.Equal("aaa", v1.Metadata.Labels["controller-revision-hash"]);

        Assert.Equal((null, 3L), ControllerRevisions.Resolve("ccc", [v1, v2]));
        Assert.Equal((v2, 2L), ControllerRevisions.Resolve("bbb", [v1, v2]));
        Assert.Equal((v1, 3L), ControllerRevisions.Resolve("aaa", [v1, v2]));
        Assert.Equal((null, 1L), ControllerRevisions.Resolve("aaa", []));
    }

    [Fact]
    public void Manage_creates_missing_pods_removes_misscheduled_failed_and_duplicate_ones()
    {
        var ds = TestObjects.DaemonSet();
        var a = TestObjects.Node("a");
        var b = TestObjects.Node("b");
        var evict = TestObjects.Node("evict", taints: [new V1Taint { Key = "x", Effect = "NoExecute" }]);
        var placements = Placements(ds, a, b, evict);
        var failed = DaemonPod(ds, "b", "h", age: 5);
        failed.Status.Phase = "Failed";
        var dup1 = DaemonPod(ds, "evict", "h", age: 9);
        // On a node that is gone: the bound pod is the pod garbage collector's, the never-scheduled one the controller's.
        var onGone = DaemonPod(ds, "gone", "h");
        var unscheduledOnGone = DaemonPod(ds, "gone", "h2");
        unscheduledOnGone.Spec.NodeName = null;
        var older = DaemonPod(ds, "a", "h", age: 20);
        var younger = DaemonPod(ds, "a", "h", age: 1);
        younger.Metadata.Name = "younger";

        var plan = DaemonSetPlanner.Plan(ds, "h", placements,
            DaemonSetPlanner.GroupByNode([failed, dup1, onGone, unscheduledOnGone, older, younger]), TestObjects.Now);

        Assert.Empty(plan.NodesNeedingPods);
        Assert.Equal(
            new[] { "younger", failed.Metadata.Name, dup1.Metadata.Name, unscheduledOnGone.Metadata.Name }.Order(StringComparer.Ordinal),
            plan.PodsToDelete.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));

        var fresh = DaemonSetPlanner.Plan(ds, "h", placements, new Dictionary<string, List<V1Pod>>(), TestObjects.Now);
        Assert.Equal(["a", "b"], fresh.NodesNeedingPods.Order());
    }

    [Fact]
    public void Rolling_update_replaces_at_most_max_unavailable_and_unavailable_old_pods_at_once()
    {
        var ds = TestObjects.DaemonSet(maxUnavailable: "2");
        var nodes = Enumerable.Range(1, 5).Select(i => TestObjects.Node($"n{i}")).ToArray();
        var placements = Placements(ds, nodes);
        var pods = new List<V1Pod>
        {
            DaemonPod(ds, "n1", "old"), DaemonPod(ds, "n2", "old"), DaemonPod(ds, "n3", "old"),
            DaemonPod(ds, "n4", "old", ready: false), DaemonPod(ds, "n5", "new", ready: false),
        };

        var plan = DaemonSetPlanner.Plan(ds, "new", placements, DaemonSetPlanner.GroupByNode(pods), TestObjects.Now);

        // n5's new pod is unavailable (1 of 2), so one available old pod may go, plus n4's unavailable old pod.
        Assert.Empty(plan.NodesNeedingPods);
        Assert.Equal([pods[3], pods[0]], plan.PodsToDelete);
    }

    [Fact]
    public void Max_unavailable_percentages_round_up_and_zero_means_one()
    {
        Assert.Equal(3, DaemonSetPlanner.MaxUnavailable(TestObjects.DaemonSet(maxUnavailable: "25%"), 10));
        Assert.Equal(1, DaemonSetPlanner.MaxUnavailable(TestObjects.DaemonSet(maxUnavailable: "0"), 10));
        Assert.Equal(1, DaemonSetPlanner.MaxUnavailable(TestObjects.DaemonSet(), 10));
        Assert.Equal(4, DaemonSetPlanner.MaxUnavailable(TestObjects.DaemonSet(maxUnavailable: "4"), 10));
    }

    [Fact]
    public void On_delete_never_deletes_old_pods_but_new_pods_use_the_new_template()
    {
        var ds = TestObjects.DaemonSet(strategy: "OnDelete");
        var placements = Placements(ds, TestObjects.Node("n1"), TestObjects.Node("n2"));
        var pods = DaemonSetPlanner.GroupByNode([DaemonPod(ds, "n1", "old")]);

        var plan = DaemonSetPlanner.Plan(ds, "new", placements, pods, TestObjects.Now);

        Assert.Empty(plan.PodsToDelete);
        Assert.Equal(["n2"], plan.NodesNeedingPods);
    }

    [Fact]
    public void Manage_keeps_a_pod_where_it_may_continue_but_not_start_and_looks_only_at_nodes_that_run_or_have_pods()
    {
        var ds = TestObjects.DaemonSet();
        var cordonedByTaint = TestObjects.Node("noschedule", taints: [new V1Taint { Key = "example.com/maintenance", Effect = "NoSchedule" }]);
        var evict = TestObjects.Node("evict", taints: [new V1Taint { Key = "x", Effect = "NoExecute" }]);
        var idle = TestObjects.Node("idle", taints: [new V1Taint { Key = "example.com/other", Effect = "NoSchedule" }]);
        var placements = Placements(ds, TestObjects.Node("a"), cordonedByTaint, evict, idle);
        var kept = DaemonPod(ds, "noschedule", "h");
        var evicted = DaemonPod(ds, "evict", "h");

        var plan = DaemonSetPlanner.Manage(placements, DaemonSetPlanner.GroupByNode([kept, evicted]));

        // "a" needs its pod; the NoSchedule node keeps its running pod but gets none new ("idle"); NoExecute evicts.
        Assert.Equal(["a"], plan.NodesNeedingPods);
        Assert.Equal([evicted.Metadata.Name], plan.PodsToDelete.Select(p => p.Metadata.Name));
        var status = DaemonSetStatusCalculator.Compute(ds, "h", placements, DaemonSetPlanner.GroupByNode([kept, evicted]), TestObjects.Now);
        Assert.Equal(1, status.DesiredNumberScheduled);
        Assert.Equal(2, status.NumberMisscheduled);
    }

    [Fact]
    public void Status_counters_match_the_controller_definitions()
    {
        var ds = TestObjects.DaemonSet(generation: 4);
        ds.Spec.MinReadySeconds = 60;
        var master = TestObjects.Node("master", taints: [new V1Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }]);
        var evict = TestObjects.Node("evict", taints: [new V1Taint { Key = "x", Effect = "NoExecute" }]);
        var placements = Placements(ds, TestObjects.Node("n1"), TestObjects.Node("n2"), TestObjects.Node("n3"), TestObjects.Node("n4"), master, evict);
        var justReady = DaemonPod(ds, "n3", "new");
        TestObjects.WithReady(justReady, true, TestObjects.Now.AddSeconds(-10));
        var pods = DaemonSetPlanner.GroupByNode(
        [
            DaemonPod(ds, "n1", "new"), DaemonPod(ds, "n2", "old"), justReady, DaemonPod(ds, "evict", "new"), DaemonPod(ds, "master", "new"),
        ]);

        var status = DaemonSetStatusCalculator.Compute(ds, "new", placements, pods, TestObjects.Now);

        Assert.Equal(4, status.DesiredNumberScheduled);
        Assert.Equal(3, status.CurrentNumberScheduled);
        Assert.Equal(2, status.NumberMisscheduled);
        Assert.Equal(3, status.NumberReady);
        Assert.Equal(2, status.NumberAvailable);
        Assert.Equal(2, status.NumberUnavailable);
        Assert.Equal(2, status.UpdatedNumberScheduled);
        Assert.Equal(4, status.ObservedGeneration);
    }
}
