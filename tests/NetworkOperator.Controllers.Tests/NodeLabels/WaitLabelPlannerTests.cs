using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.NodeLabels;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.NodeLabels;

public sealed class WaitLabelPlannerTests
{
    private static V1Node Node(string name, bool nic, params (string Key, string Value)[] labels)
    {
        var node = TestNodes.Node(name).Labels(labels);
        return (nic ? node.Label(Labels.NicPresent, "true") : node).Build();
    }

    private static V1Pod DriverPod(string node, bool ready, string? owner = Labels.DsOwnerClusterPolicy)
    {
        var labels = new Dictionary<string, string> { [Labels.OfedDriver] = string.Empty };
        if (owner is not null)
        {
            labels[Labels.DsOwner] = owner;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "mofed-" + node, Labels = labels },
            Spec = new V1PodSpec { NodeName = node },
            Status = new V1PodStatus { ContainerStatuses = [new V1ContainerStatus { Name = WaitLabelPlanner.DriverContainer, Ready = ready }] },
        };
    }

    private static string? Change(WaitLabelPlan plan, string node, string label) =>
        plan.Changes.TryGetValue(node, out var c) && c.TryGetValue(label, out var v) ? v : "<unchanged>";

    [Fact]
    public void ClusterDriverSetsTrueUntilTheDriverContainerIsReady()
    {
        var nodes = new[] { Node("a", true), Node("b", true), Node("c", true), Node("cpu", false) };
        var plan = WaitLabelPlanner.Plan(nodes, [DriverPod("a", false), DriverPod("b", true, owner: null)], [],
            new DriverPolicies { ClusterPolicyHasDriver = true, ClusterPolicyHasNicConfigurationOperator = true });

        // "a" has no label yet: absent already keeps every component selecting mofed.wait=false away, so no write.
        Assert.Equal("<unchanged>", Change(plan, "a", Labels.MofedWait));
        Assert.Equal("false", Change(plan, "b", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(plan, "c", Labels.MofedWait));
        Assert.False(plan.Changes.ContainsKey("cpu"));
        Assert.False(plan.Requeue);
    }

    [Fact]
    public void A_node_that_has_the_label_gets_true_while_its_driver_is_not_ready()
    {
        var nodes = new[] { Node("inbox", true, (Labels.MofedWait, "false")), Node("fresh", true) };
        var plan = WaitLabelPlanner.Plan(nodes, [DriverPod("inbox", false), DriverPod("fresh", false)], [],
            new DriverPolicies { ClusterPolicyHasDriver = true, ClusterPolicyHasNicConfigurationOperator = true });

        Assert.Equal("true", Change(plan, "inbox", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(plan, "fresh", Labels.MofedWait));
    }

    [Fact]
    public void With_auto_upgrade_a_node_the_upgrade_has_not_seen_gets_upgrade_done_in_its_false_patch()
    {
        var nodes = new[]
        {
            Node("new", true),
            Node("stale", true),
            Node("done", true, (Labels.MofedWait, "true"), (Labels.UpgradeState, "upgrade-done")),
            Node("gpu", true, ("gpu", "yes")),
        };
        var policies = new DriverPolicies
        {
            ClusterPolicyHasDriver = true,
            ClusterPolicyHasNicConfigurationOperator = true,
            AutoUpgrade = true,
            AutoUpgradeOwners = new HashSet<string> { Labels.DsOwnerClusterPolicy },
            NodePolicyDrivers = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["gpus"] = new Dictionary<string, string> { ["gpu"] = "yes" } },
        };
        V1Pod[] pods = [DriverPod("new", true), DriverPod("stale", true), DriverPod("done", true), DriverPod("gpu", true, "nnp-gpus")];
        var plan = WaitLabelPlanner.Plan(nodes, pods, [], policies, driverInSync: p => p.Spec.NodeName != "stale");

        Assert.Equal("false", Change(plan, "new", Labels.MofedWait));
        Assert.Equal(UpgradeStates.UpgradeDone, Change(plan, "new", Labels.UpgradeState));

        // Not on the newest revision: the upgrade decides (upgrade-required); a node with a state and a node policy
        // without auto-upgrade get mofed.wait alone.
        Assert.Equal("false", Change(plan, "stale", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(plan, "stale", Labels.UpgradeState));
        Assert.Equal("<unchanged>", Change(plan, "done", Labels.UpgradeState));
        Assert.Equal("<unchanged>", Change(plan, "gpu", Labels.UpgradeState));
        Assert.Equal("false", Change(plan, "gpu", Labels.MofedWait));

        // Without the revision facts (or without auto-upgrade) no upgrade state is written at all.
        Assert.Equal("<unchanged>", Change(WaitLabelPlanner.Plan(nodes, pods, [], policies), "new", Labels.UpgradeState));
        Assert.Equal("<unchanged>", Change(WaitLabelPlanner.Plan(nodes, pods, [], policies with { AutoUpgrade = false, AutoUpgradeOwners = new HashSet<string>() },
            driverInSync: _ => true), "new", Labels.UpgradeState));
    }

    [Fact]
    public void WithoutAnyDriverNicNodesGetFalseOthersLoseTheLabelAndLeftoverPodsKeepTrue()
    {
        var nodes = new[]
        {
            Node("nic", true), Node("cpu", false, (Labels.MofedWait, "true")), Node("old", true, (Labels.MofedWait, "false")), Node("unlabelled", true),
        };
        var plan = WaitLabelPlanner.Plan(nodes, [DriverPod("old", true), DriverPod("unlabelled", true)], [],
            new DriverPolicies { ClusterPolicyHasNicConfigurationOperator = true });

        Assert.Equal("false", Change(plan, "nic", Labels.MofedWait));
        Assert.Null(Change(plan, "cpu", Labels.MofedWait));
        Assert.Equal("true", Change(plan, "old", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(plan, "unlabelled", Labels.MofedWait));
        Assert.True(plan.Requeue);
    }

    [Fact]
    public void NodePolicyDriversManageTheirNodesOnly()
    {
        var nodes = new[] { Node("gpu1", true, ("gpu", "yes")), Node("gpu2", true, ("gpu", "yes")), Node("plain", true) };
        var policies = new DriverPolicies
        {
            ClusterPolicyHasNicConfigurationOperator = true,
            NodePolicyDrivers = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["gpus"] = new Dictionary<string, string> { ["gpu"] = "yes" } },
        };
        var plan = WaitLabelPlanner.Plan(nodes, [DriverPod("gpu1", true, "nnp-gpus")], [], policies);

        Assert.Equal("false", Change(plan, "gpu1", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(plan, "gpu2", Labels.MofedWait));
        Assert.Equal("false", Change(plan, "plain", Labels.MofedWait));
    }

    [Fact]
    public void DeletedNodePolicyPodsKeepTheirNodesWaiting()
    {
        var plan = WaitLabelPlanner.Plan([Node("gpu1", true, (Labels.MofedWait, "false"))], [DriverPod("gpu1", true, "nnp-gone")], [],
            new DriverPolicies { ClusterPolicyHasNicConfigurationOperator = true });

        Assert.Equal("true", Change(plan, "gpu1", Labels.MofedWait));
        Assert.True(plan.Requeue);
    }

    [Fact]
    public void NicConfigurationWaitOnlyWhenTheOperatorIsNotDeployed()
    {
        var nodes = new[] { Node("a", true), Node("b", true), Node("cpu", false, (Labels.NicConfigurationWait, "false")) };
        var daemon = new V1Pod { Metadata = new V1ObjectMeta { Name = "d", Labels = new Dictionary<string, string> { [Labels.NicConfigurationDaemon] = string.Empty } }, Spec = new V1PodSpec { NodeName = "b" } };

        var plan = WaitLabelPlanner.Plan(nodes, [], [daemon], new DriverPolicies());
        Assert.Equal("false", Change(plan, "a", Labels.NicConfigurationWait));
        Assert.Equal("true", Change(plan, "b", Labels.NicConfigurationWait));
        Assert.Null(Change(plan, "cpu", Labels.NicConfigurationWait));
        Assert.True(plan.Requeue);

        var managed = WaitLabelPlanner.Plan(nodes, [], [daemon], new DriverPolicies { ClusterPolicyHasNicConfigurationOperator = true });
        Assert.All(managed.Changes.Values, c => Assert.False(c.ContainsKey(Labels.NicConfigurationWait)));
    }

    [Fact]
    public void A_released_node_the_driver_is_about_to_reach_is_held_before_its_driver_pod_arrives()
    {
        var nodes = new[]
        {
            Node("inbox", true, (Labels.MofedWait, "false")),
            Node("unlabelled", true),
            Node("restarting", true, (Labels.MofedWait, "false"), (Labels.UpgradeState, UpgradeStates.PodRestartRequired)),
            Node("gpu", true, ("gpu", "yes"), (Labels.MofedWait, "false")),
            Node("plain", true, (Labels.MofedWait, "false")),
            Node("cpu", false, (Labels.MofedWait, "false")),
        };
        var nodePolicy = new DriverPolicies
        {
            ClusterPolicyHasNicConfigurationOperator = true,
            AutoUpgrade = true,
            NodePolicyDrivers = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["gpus"] = new Dictionary<string, string> { ["gpu"] = "yes" } },
        };
        var cluster = new DriverPolicies { ClusterPolicyHasDriver = true, ClusterPolicyHasNicConfigurationOperator = true, AutoUpgrade = true };

        var byCluster = WaitLabelPlanner.Plan(nodes, [], [], cluster);
        Assert.Equal("true", Change(byCluster, "inbox", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(byCluster, "unlabelled", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(byCluster, "restarting", Labels.MofedWait));
        Assert.Null(Change(byCluster, "cpu", Labels.MofedWait));
        Assert.False(byCluster.Requeue);

        // A NicNodePolicy holds only the nodes it selects; the others keep the inbox rule.
        var byNodePolicy = WaitLabelPlanner.Plan(nodes, [], [], nodePolicy);
        Assert.Equal("true", Change(byNodePolicy, "gpu", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(byNodePolicy, "plain", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(byNodePolicy, "inbox", Labels.MofedWait));
    }

    [Fact]
    public void Nodes_await_the_driver_while_one_it_is_about_to_reach_is_still_released()
    {
        var cluster = new DriverPolicies { ClusterPolicyHasDriver = true, AutoUpgrade = true };
        IReadOnlyList<V1Pod> None(string node) => [];
        IReadOnlyList<V1Pod> Driver(string node) => [DriverPod(node, ready: true)];

        Assert.True(WaitLabelPlanner.AwaitsDriver([Node("a", true, (Labels.MofedWait, "true")), Node("b", true, (Labels.MofedWait, "false"))], None, cluster));
        Assert.False(WaitLabelPlanner.AwaitsDriver([Node("b", true, (Labels.MofedWait, "false"))], Driver, cluster));
        Assert.False(WaitLabelPlanner.AwaitsDriver([Node("held", true, (Labels.MofedWait, "true")), Node("new", true)], None, cluster));
        Assert.False(WaitLabelPlanner.AwaitsDriver([Node("cpu", false, (Labels.MofedWait, "false"))], None, cluster));
        Assert.False(WaitLabelPlanner.AwaitsDriver(
            [Node("restarting", true, (Labels.MofedWait, "false"), (Labels.UpgradeState, UpgradeStates.PodRestartRequired))], None, cluster));
        Assert.False(WaitLabelPlanner.AwaitsDriver([Node("inbox", true, (Labels.MofedWait, "false"))], None,
            new DriverPolicies { ClusterPolicyHasNicConfigurationOperator = true }));

        // It agrees with the plan: whenever it says yes, the plan holds some node.
        var nodes = new[] { Node("x", true, (Labels.MofedWait, "false")), Node("y", true, (Labels.MofedWait, "false")) };
        Assert.True(WaitLabelPlanner.AwaitsDriver(nodes, n => n == "x" ? Driver(n) : None(n), cluster));
        var plan = WaitLabelPlanner.Plan(nodes, [DriverPod("x", ready: true)], [], cluster);
        Assert.Equal("true", Change(plan, "y", Labels.MofedWait));
        Assert.Equal("<unchanged>", Change(plan, "x", Labels.MofedWait));
    }

    [Fact]
    public void SteadyStateProducesNoChanges()
    {
        var nodes = new[] { Node("a", true, (Labels.MofedWait, "false"), (Labels.NicConfigurationWait, "false")), Node("cpu", false) };
        var plan = WaitLabelPlanner.Plan(nodes, [DriverPod("a", true)], [], new DriverPolicies { ClusterPolicyHasDriver = true });
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void A_pods_event_wakes_the_node_it_is_bound_to_and_an_unbound_pod_wakes_none()
    {
        Assert.Equal([WaitLabelReconciler.KeyOf("a")], WaitLabelReconciler.KeysOf(DriverPod("a", ready: false)));
        Assert.Empty(WaitLabelReconciler.KeysOf(new V1Pod { Metadata = new V1ObjectMeta { Name = "pending" }, Spec = new V1PodSpec() }));
        Assert.Equal("a", WaitLabelReconciler.KeyOf("a").Name);
        Assert.Null(WaitLabelReconciler.KeyOf("a").Namespace);
    }
}
