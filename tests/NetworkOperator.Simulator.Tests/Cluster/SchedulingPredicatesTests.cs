using k8s.Models;
using NetworkOperator.Simulator.Cluster.Scheduling;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class SchedulingPredicatesTests
{
    private static V1NodeSelectorRequirement Req(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };

    private static V1NodeSelector Terms(params V1NodeSelectorTerm[] terms) => new() { NodeSelectorTerms = terms };

    [Theory]
    [InlineData("In", "zone", new[] { "a", "b" }, true)]
    [InlineData("In", "zone", new[] { "c" }, false)]
    [InlineData("NotIn", "zone", new[] { "c" }, true)]
    [InlineData("NotIn", "missing", new[] { "c" }, true)]
    [InlineData("NotIn", "zone", new[] { "a" }, false)]
    [InlineData("Exists", "zone", new string[0], true)]
    [InlineData("Exists", "missing", new string[0], false)]
    [InlineData("DoesNotExist", "missing", new string[0], true)]
    [InlineData("DoesNotExist", "zone", new string[0], false)]
    [InlineData("Gt", "cores", new[] { "31" }, true)]
    [InlineData("Gt", "cores", new[] { "32" }, false)]
    [InlineData("Lt", "cores", new[] { "33" }, true)]
    [InlineData("Lt", "zone", new[] { "33" }, false)]
    public void Node_affinity_operators(string op, string key, string[] values, bool expected)
    {
        var node = TestObjects.Node("n1", new() { ["zone"] = "a", ["cores"] = "32" });
        var term = new V1NodeSelectorTerm { MatchExpressions = [Req(key, op, values)] };
        Assert.Equal(expected, NodeSelectorMatcher.MatchesRequired(node, Terms(term)));
    }

    [Fact]
    public void Terms_are_ored_expressions_anded_empty_term_matches_nothing_and_match_fields_use_the_name()
    {
        var node = TestObjects.Node("n1", new() { ["zone"] = "a" });
        var failing = new V1NodeSelectorTerm { MatchExpressions = [Req("zone", "In", "a"), Req("zone", "In", "b")] };
        var byName = new V1NodeSelectorTerm { MatchFields = [Req("metadata.name", "In", "n1")] };
        Assert.False(NodeSelectorMatcher.MatchesRequired(node, Terms(failing)));
        Assert.True(NodeSelectorMatcher.MatchesRequired(node, Terms(failing, byName)));
        Assert.False(NodeSelectorMatcher.MatchesRequired(node, Terms(new V1NodeSelectorTerm())));
        Assert.False(NodeSelectorMatcher.MatchesRequired(node, Terms(new V1NodeSelectorTerm { MatchFields = [Req("metadata.name", "NotIn", "n1")] })));
        Assert.True(NodeSelectorMatcher.MatchesNodeSelector(node, new Dictionary<string, string> { ["zone"] = "a" }));
        Assert.False(NodeSelectorMatcher.MatchesNodeSelector(node, new Dictionary<string, string> { ["zone"] = "b" }));
    }

    [Theory]
    [InlineData("k", "Equal", "v", "NoSchedule", "k", "v", "NoSchedule", true)]
    [InlineData("k", "Equal", "w", "NoSchedule", "k", "v", "NoSchedule", false)]
    [InlineData("k", null, "v", "", "k", "v", "NoExecute", true)]
    [InlineData("k", "Exists", null, "NoSchedule", "k", "anything", "NoSchedule", true)]
    [InlineData("k", "Exists", null, "NoSchedule", "k", "v", "NoExecute", false)]
    [InlineData(null, "Exists", null, null, "any", "v", "NoExecute", true)]
    [InlineData("other", "Exists", null, null, "k", "v", "NoSchedule", false)]
    public void Tolerations_match_taints(string? key, string? op, string? value, string? effect, string taintKey, string taintValue, string taintEffect, bool expected)
    {
        var toleration = new V1Toleration { Key = key, OperatorProperty = op, Value = value, Effect = effect };
        Assert.Equal(expected, TaintToleration.Tolerates(toleration, new V1Taint { Key = taintKey, Value = taintValue, Effect = taintEffect }));
    }

    [Fact]
    public void Filters_report_the_real_scheduler_reasons()
    {
        var pod = TestObjects.Pod("p", new() { ["cpu"] = "2", ["rdma/rdma_shared_device_a"] = "1" });
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["feature.node.kubernetes.io/pci-15b3.present"] = "true" };

        var cordoned = new SchedulingNode(TestObjects.Node("cordoned", unschedulable: true, allocatable: new() { ["rdma/rdma_shared_device_a"] = "1" }));
        var tainted = new SchedulingNode(TestObjects.Node("tainted", taints: [new V1Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }]));
        var preferOnly = new SchedulingNode(TestObjects.Node("prefer", taints: [new V1Taint { Key = "soft", Effect = "PreferNoSchedule" }],
            allocatable: new() { ["rdma/rdma_shared_device_a"] = "1" }));
        var cpuOnly = new SchedulingNode(TestObjects.Node("cpu-only"));
        cpuOnly.Node.Metadata.Labels.Remove("feature.node.kubernetes.io/pci-15b3.present");
        var noDevice = new SchedulingNode(TestObjects.Node("no-device"));

        Assert.Equal([SchedulingPredicates.ReasonUnschedulable], SchedulingPredicates.Filter(pod, cordoned));
        Assert.Equal(["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"], SchedulingPredicates.Filter(pod, tainted));
        Assert.Empty(SchedulingPredicates.Filter(pod, preferOnly));
        Assert.Equal([SchedulingPredicates.ReasonAffinity], SchedulingPredicates.Filter(pod, cpuOnly));
        Assert.Equal(["Insufficient rdma/rdma_shared_device_a"], SchedulingPredicates.Filter(pod, noDevice));

        pod.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        Assert.Empty(SchedulingPredicates.Filter(pod, cordoned));

        var message = SchedulingPredicates.FailureMessage(3, [SchedulingPredicates.Filter(pod, tainted), SchedulingPredicates.Filter(pod, cpuOnly), SchedulingPredicates.Filter(pod, noDevice)]);
        Assert.Equal("0/3 nodes are available: 1 Insufficient rdma/rdma_shared_device_a, 1 node(s) didn't match Pod's node affinity/selector, " +
                     "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", message);
    }

    [Fact]
    public void Resource_fit_counts_bound_pods_limits_init_containers_and_the_pod_count()
    {
        var node = new SchedulingNode(TestObjects.Node("n", allocatable: new() { ["cpu"] = "4", ["pods"] = "3", ["rdma/hca"] = "2" }));
        node.SetPod("default/a", TestObjects.Pod("a", new() { ["cpu"] = "3", ["rdma/hca"] = "1" }));

        var needsTwoCpus = TestObjects.Pod("b", new() { ["cpu"] = "2" });
        Assert.Equal(["Insufficient cpu"], SchedulingPredicates.Filter(needsTwoCpus, node));

        var limitOnly = TestObjects.Pod("c");
        limitOnly.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["rdma/hca"] = new("2") } };
        Assert.Equal(["Insufficient rdma/hca"], SchedulingPredicates.Filter(limitOnly, node));

        var bigInit = TestObjects.Pod("d", new() { ["cpu"] = "500m" });
        bigInit.Spec.InitContainers = [new V1Container { Name = "init", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } } }];
        Assert.Equal(["Insufficient cpu"], SchedulingPredicates.Filter(bigInit, node));

        node.SetPod("default/e", TestObjects.Pod("e"));
        node.SetPod("default/f", TestObjects.Pod("f"));
        Assert.Equal(["Too many pods"], SchedulingPredicates.Filter(TestObjects.Pod("g"), node));

        Assert.True(node.RemovePod("default/a"));
        Assert.True(node.RemovePod("default/f"));
        Assert.Empty(SchedulingPredicates.Filter(needsTwoCpus, node));
    }

    [Fact]
    public void Required_pod_anti_affinity_by_hostname_both_ways()
    {
        var node = new SchedulingNode(TestObjects.Node("n"));
        var existing = TestObjects.Pod("controller-1");
        existing.Metadata.Labels["app"] = "ipam";
        node.SetPod("default/controller-1", existing);

        var second = TestObjects.Pod("controller-2");
        second.Metadata.Labels["app"] = "ipam";
        second.Spec.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm
                    {
                        TopologyKey = "kubernetes.io/hostname",
                        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "ipam" } },
                    },
                ],
            },
        };
        Assert.Equal([SchedulingPredicates.ReasonAntiAffinity], SchedulingPredicates.Filter(second, node));

        var other = TestObjects.Pod("other", ns: "elsewhere");
        other.Metadata.Labels["app"] = "ipam";
        Assert.Empty(SchedulingPredicates.Filter(other, node));

        var empty = new SchedulingNode(TestObjects.Node("m"));
        empty.SetPod("default/controller-2", second);
        Assert.Equal([SchedulingPredicates.ReasonExistingAntiAffinity], SchedulingPredicates.Filter(existing, empty));

        // The node tracks its anti-affinity pods apart: a pod replaced without terms, or gone, no longer repels.
        var relaxed = TestObjects.Pod("controller-2");
        relaxed.Metadata.Labels["app"] = "ipam";
        empty.SetPod("default/controller-2", relaxed);
        Assert.Empty(SchedulingPredicates.Filter(existing, empty));
        empty.SetPod("default/controller-2", second);
        Assert.True(empty.RemovePod("default/controller-2"));
        Assert.Empty(SchedulingPredicates.Filter(existing, empty));
    }
}
