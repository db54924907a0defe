using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Cli.Doctor;

namespace NetworkOperator.Cli.Tests.Doctor;

/// <summary>
/// Each cause doctor knows, induced alone on a simulated cluster that the real operator reconciles: the diagnosis names
/// the cause, the object, the nodes and a fix, and ranks root causes before their consequences.
/// </summary>
public sealed class DoctorCauseTests
{
    [Fact]
    public async Task A_converged_cluster_is_healthy_with_no_findings()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Healthy && r.Snapshot.ClusterPolicies.Single().Str("status", "state") == "ready", "policy ready");

        Assert.Empty(report.Findings);
        Assert.True(report.ToJson()["healthy"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Pods_refused_by_Pod_Security_name_the_namespace_label_to_change()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.Client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"restricted"}}}""",
            V1Patch.PatchType.MergePatch), DoctorCluster.Namespace);
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.PodSecurityRefused), "Pod Security refusal");

        var finding = report.Findings.First(f => f.Cause == DoctorCauses.PodSecurityRefused);
        Assert.StartsWith("DaemonSet nvidia-network-operator/", finding.Object, StringComparison.Ordinal);
        Assert.Contains("violates PodSecurity \"restricted:latest\"", finding.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl label namespace nvidia-network-operator pod-security.kubernetes.io/enforce=privileged", finding.Fix, StringComparison.Ordinal);
        Assert.False(report.Healthy);
        // The refusal explains the components: no separate "not ready" finding for them.
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.ComponentNotReady && f.Component == finding.Component);
    }

    [Fact]
    public async Task Pods_refused_by_a_ResourceQuota_name_the_quota_to_raise()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "ops" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("1") } },
        }, DoctorCluster.Namespace);
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.QuotaRefused), "quota refusal");

        var finding = report.Findings.First(f => f.Cause == DoctorCauses.QuotaRefused);
        Assert.StartsWith("DaemonSet nvidia-network-operator/", finding.Object, StringComparison.Ordinal);
        Assert.Contains("exceeded quota: ops, requested: pods=1", finding.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl -n nvidia-network-operator edit resourcequota ops", finding.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.RbacRefused);
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.ComponentNotReady && f.Component == finding.Component);
    }

    [Fact]
    public async Task A_component_whose_objects_need_cert_manager_names_it_when_the_cluster_lacks_its_kinds()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy() +
            "  nvIpam:\n" +
            "    image: nvidia-k8s-ipam\n" +
            "    repository: ghcr.io/mellanox\n" +
            "    version: v0.3.7\n" +
            "    enableWebhook: true\n");

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.KindNotServed), "kind not served");

        var finding = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.KindNotServed);
        Assert.Equal("NicClusterPolicy nic-cluster-policy", finding.Object);
        Assert.Equal(StateNames.NvIpamCni, finding.Component);
        Assert.Contains("Issuer (cert-manager.io/v1) is not served by this cluster", finding.Message, StringComparison.Ordinal);
        Assert.Contains("install cert-manager", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("spec.nvIpam.enableWebhook: false", finding.Fix, StringComparison.Ordinal);
        // The root cause comes before what follows from it (the controller's pods wait for the certificate's Secret).
        Assert.Equal(finding, report.Findings.First(f => f.Component == StateNames.NvIpamCni));
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.ComponentNotReady && f.Component == finding.Component);
    }

    [Fact]
    public async Task Nodes_without_NFD_labels_point_at_Node_Feature_Discovery()
    {
        await using var cluster = await DoctorCluster.StartAsync(nfd: false);
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Snapshot.ClusterPolicies.Single().Str("status", "state") is not null, "policy reconciled");

        var finding = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.NfdLabelsMissing);
        Assert.Equal(1, finding.Rank);
        Assert.Contains(Labels.NicPresent, finding.Message, StringComparison.Ordinal);
        Assert.Contains("Node Feature Discovery", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("NodeFeatureRule", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_driver_image_missing_for_the_nodes_OS_comes_before_the_mofed_wait_label_it_keeps_set()
    {
        await using var cluster = await DoctorCluster.StartAsync(configure: o => o.UnpullableImages.Add("doca-driver"));
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        // Each node's kubelet reaches the pull back-off on its own: wait until both have (the finding lists the nodes it saw).
        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.NoDriverImage && f.Nodes.Count == 2) &&
                                                           r.Findings.Any(f => f.Cause == DoctorCauses.MofedWaitStuck), "driver image on both nodes and mofed.wait");

        var image = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.NoDriverImage);
        Assert.Equal(["worker-1", "worker-2"], image.Nodes);
        Assert.Contains($"doca-driver:{DoctorCluster.DriverVersion}", image.Message, StringComparison.Ordinal);
        Assert.Contains("ubuntu 22.04", image.Message, StringComparison.Ordinal);
        Assert.Contains("ImagePullBackOff", image.Message, StringComparison.Ordinal);
        Assert.Contains("ofedDriver.version", image.Fix, StringComparison.Ordinal);
        var wait = report.Findings.First(f => f.Cause == DoctorCauses.MofedWaitStuck);
        Assert.Contains(Labels.MofedWait, wait.Message, StringComparison.Ordinal);
        Assert.True(image.Rank < wait.Rank);
    }

    [Fact]
    public async Task A_component_image_that_cannot_be_pulled_names_the_image_and_the_component()
    {
        await using var cluster = await DoctorCluster.StartAsync(configure: o => o.UnpullableImages.Add("multus-cni"));
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.ImagePullFailed), "image pull failure");

        var finding = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.ImagePullFailed);
        Assert.Equal(StateNames.MultusCni, finding.Component);
        Assert.Contains("ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0", finding.Message, StringComparison.Ordinal);
        Assert.Contains("imagePullSecrets", finding.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.NoDriverImage);
    }

    [Fact]
    public async Task Pods_pending_for_resources_name_the_scheduler_message_and_the_requests_to_lower()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy(multusExtra:
            "      containerResources:\n" +
            "      - name: kube-multus\n" +
            "        requests:\n" +
            "          cpu: \"100\"\n"));

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.PodPending), "pending pods");

        var finding = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.PodPending);
        Assert.Equal(StateNames.MultusCni, finding.Component);
        Assert.Contains("Insufficient cpu", finding.Message, StringComparison.Ordinal);
        Assert.Contains("containerResources", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taint_the_components_do_not_tolerate_names_the_nodes_and_the_toleration()
    {
        await using var cluster = await DoctorCluster.StartAsync(configure: o =>
        {
            var tainted = TestNodes.Joined("worker-3", osImage: "Ubuntu 22.04");
            tainted.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "dedicated", Value = "ai", Effect = "NoSchedule" }] };
            o.Nodes = [.. o.Nodes!, tainted];
        });
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Count(f => f.Cause == DoctorCauses.PodPending) >= 3, "taint findings");

        var taints = report.Findings.Where(f => f.Cause == DoctorCauses.PodPending).ToList();
        Assert.Contains(taints, f => f.Component == StateNames.Ofed);
        Assert.Contains(taints, f => f.Component == StateNames.MultusCni);
        Assert.All(taints, f =>
        {
            Assert.Equal(["worker-3"], f.Nodes);
            Assert.Contains("dedicated=ai:NoSchedule", f.Message, StringComparison.Ordinal);
            Assert.Contains("spec.tolerations", f.Fix, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Node_policies_selecting_one_node_both_name_the_overlap_and_the_selectors_to_change()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.StartOperatorAsync();
        foreach (var name in new[] { "rack-a", "rack-b" })
        {
            await cluster.ApplyAsync($$"""
                apiVersion: mellanox.com/v1alpha1
                kind: NicNodePolicy
                metadata:
                  name: {{name}}
                spec:
                  nodeSelector:
                    feature.node.kubernetes.io/pci-15b3.present: "true"
                  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: doca3.1.0-25.07-0.9.7.0-0}
                """);
        }

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Count(f => f.Cause == DoctorCauses.PolicyError) == 2, "both policies in error");

        Assert.All(report.Findings.Where(f => f.Cause == DoctorCauses.PolicyError), f =>
        {
            Assert.Contains("node selector overlap detected", f.Message, StringComparison.Ordinal);
            Assert.Contains("make the nodeSelectors of the NicNodePolicies named in the reason select different nodes", f.Fix, StringComparison.Ordinal);
        });
        Assert.Contains(report.Findings, f => f.Fix.Contains("kubectl edit nicnodepolicy rack-a", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Fix.Contains("kubectl edit nicnodepolicy rack-b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_network_whose_namespace_does_not_exist_says_which_namespace_to_create()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());
        await cluster.ApplyAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: rdma-net
            spec:
              networkNamespace: team-a
              master: ens2f0
              mode: bridge
              ipam: '{"type": "host-local", "subnet": "10.10.0.0/24"}'
            """);

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.NetworkNamespaceMissing), "namespace finding");

        var finding = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.NetworkNamespaceMissing);
        Assert.Equal("MacvlanNetwork rdma-net", finding.Object);
        Assert.Contains("kubectl create namespace team-a", finding.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.NetworkNotReady);
    }

    [Fact]
    public async Task A_network_whose_IPAM_plugin_no_policy_deploys_names_the_section_to_add_and_the_waiting_pods()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());
        await cluster.ApplyAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: rdma-net
            spec:
              networkNamespace: default
              master: ens2f0
              mode: bridge
              ipam: '{"type": "whereabouts", "range": "192.168.2.0/24"}'
            """);
        await cluster.DiagnoseUntilAsync(r => r.Snapshot.NetworkAttachmentDefinitions.Count == 1 &&
                                              r.Snapshot.ClusterPolicies.Single().Str("status", "state") == "ready", "NAD and policy ready");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "trainer", Annotations = new Dictionary<string, string> { [Annotations.PodNetworks] = "rdma-net" } },
            Spec = new V1PodSpec { NodeName = "worker-1", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, "default");

        var report = await cluster.DiagnoseUntilAsync(r => r.Snapshot.Events.Any(e => e.Str("reason") == "FailedCreatePodSandBox"), "sandbox failure");

        var finding = Assert.Single(report.Findings, f => f.Cause == DoctorCauses.NetworkPluginMissing);
        Assert.Equal("MacvlanNetwork rdma-net", finding.Object);
        Assert.Contains("\"whereabouts\"", finding.Message, StringComparison.Ordinal);
        Assert.Contains("spec.secondaryNetwork.ipamPlugin", finding.Fix, StringComparison.Ordinal);
        Assert.Equal(StateNames.WhereaboutsCni, finding.Component);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_driver_upgrade_blocked_by_a_bare_pod_or_a_disruption_budget_names_it_and_the_way_out(bool budget)
    {
        await using var cluster = await DoctorCluster.StartAsync(nodes: 1);
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy(driverExtra: UpgradeOneAtATime(drainTimeoutSeconds: 0)));
        await cluster.DiagnoseUntilAsync(r => r.Healthy && r.Snapshot.ClusterPolicies.Single().Str("status", "state") == "ready", "policy ready");
        if (budget)
        {
            await WebDeploymentAsync(cluster, "web", nodeName: null);
            await WebBudgetAsync(cluster, minAvailable: 1);
        }
        else
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "bare" },
                Spec = new V1PodSpec { NodeName = "worker-1", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            }, "default");
        }

        await cluster.DiagnoseUntilAsync(r => r.Snapshot.Pods.Any(p => p.Namespace() == "default" && DoctorChecks.IsReady(p)), "workload running");
        await cluster.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec":{"ofedDriver":{"version":"doca3.2.0-25.10-1.2.8.0-0"}}}""",
            V1Patch.PatchType.MergePatch), ApiGroup.Group, "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");

        var cause = budget ? DoctorCauses.UpgradeBlockedByBudget : DoctorCauses.UpgradeBlockedByUnmanagedPod;
        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == cause), cause);

        var finding = report.Findings.First(f => f.Cause == cause);
        Assert.Equal(["worker-1"], finding.Nodes);
        Assert.Equal("NicClusterPolicy nic-cluster-policy", finding.Object);
        if (budget)
        {
            Assert.Contains("PodDisruptionBudget", finding.Message, StringComparison.Ordinal);
            Assert.Contains("web-pdb", finding.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("{", finding.Message, StringComparison.Ordinal);
            Assert.Contains("minAvailable", finding.Fix, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("default/bare", finding.Message, StringComparison.Ordinal);
            Assert.Contains("drain.force=true", finding.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_failed_node_names_the_relabel_that_retries_it_and_the_nodes_waiting_behind_it_are_a_warning()
    {
        await using var cluster = await DoctorCluster.StartAsync(nodes: 2);
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy(driverExtra: UpgradeOneAtATime(drainTimeoutSeconds: 1)));
        await cluster.DiagnoseUntilAsync(r => r.Healthy && r.Snapshot.ClusterPolicies.Single().Str("status", "state") == "ready", "policy ready");

        // One pod per node under a budget that allows no eviction: whichever node drains first fails, the other waits.
        foreach (var node in new[] { "worker-1", "worker-2" })
        {
            await WebDeploymentAsync(cluster, "web-" + node, nodeName: node);
        }

        await WebBudgetAsync(cluster, minAvailable: 2);
        await cluster.DiagnoseUntilAsync(r => r.Snapshot.Pods.Count(p => p.Namespace() == "default" && DoctorChecks.IsReady(p)) == 2, "workload running");
        await cluster.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec":{"ofedDriver":{"version":"doca3.2.0-25.10-1.2.8.0-0"}}}""",
            V1Patch.PatchType.MergePatch), ApiGroup.Group, "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");

        var report = await cluster.DiagnoseUntilAsync(r =>
            r.Findings.Any(f => f.Cause == DoctorCauses.UpgradeBlockedByBudget && f.Message.StartsWith("driver upgrade failed", StringComparison.Ordinal))
            && r.Findings.Any(f => f.Cause == DoctorCauses.UpgradeWaiting), "a failed node and a waiting one");

        var failed = report.Findings.Single(f => f.Cause == DoctorCauses.UpgradeBlockedByBudget);
        var waiting = report.Findings.Single(f => f.Cause == DoctorCauses.UpgradeWaiting);
        var failedNode = Assert.Single(failed.Nodes);
        Assert.Equal(Finding.Error, failed.Severity);
        Assert.EndsWith($"then retry: kubectl label node {failedNode} nvidia.com/ofed-driver-upgrade-state=upgrade-required --overwrite", failed.Fix, StringComparison.Ordinal);
        Assert.Equal(Finding.Warning, waiting.Severity);
        Assert.Equal([failedNode == "worker-1" ? "worker-2" : "worker-1"], waiting.Nodes);
        Assert.Equal("driver upgrade waiting: waiting for an upgrade slot (maxParallelUpgrades/maxUnavailable reached)", waiting.Message);
        Assert.Equal($"failed nodes keep their upgrade slot until retried: {failedNode} (findings above)", waiting.Fix);
        Assert.DoesNotContain(report.Findings, f => f.Cause == DoctorCauses.UpgradeFailed);

        // The budget relaxed and the node relabelled as the fix says: both nodes finish.
        await cluster.Client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync("web-pdb", "default");
        await cluster.Client.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"nvidia.com/ofed-driver-upgrade-state":"upgrade-required"}}}""",
            V1Patch.PatchType.MergePatch), failedNode);
        await cluster.DiagnoseUntilAsync(r => r.Snapshot.Nodes.All(n => n.Str("metadata", "labels", "nvidia.com/ofed-driver-upgrade-state") == "upgrade-done")
            && !r.Findings.Any(f => f.Cause.StartsWith("upgrade", StringComparison.Ordinal)), "both nodes upgraded");
    }

    [Fact]
    public async Task An_operator_role_without_a_verb_it_needs_is_reported_as_an_RBAC_refusal()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        // The chart's ClusterRole loses "create" on DaemonSets: the operator's writes of them are refused.
        var role = await cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync("network-operator");
        foreach (var rule in role.Rules.Where(r => r.ApiGroups.Contains("apps") && r.Resources.Contains("daemonsets")))
        {
            rule.Verbs = [.. rule.Verbs.Where(v => v != "create")];
        }

        await cluster.Client.RbacAuthorizationV1.ReplaceClusterRoleAsync(role, "network-operator");
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy());

        var report = await cluster.DiagnoseUntilAsync(r => r.Findings.Any(f => f.Cause == DoctorCauses.RbacRefused), "RBAC refusal");

        var finding = report.Findings.First(f => f.Cause == DoctorCauses.RbacRefused);
        Assert.Contains("DaemonSet", finding.Message, StringComparison.Ordinal);
        Assert.Contains("403 Forbidden", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ClusterRole", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_are_ranked_root_causes_first()
    {
        Assert.True(DoctorCauses.Order.ToList().IndexOf(DoctorCauses.NfdLabelsMissing) < DoctorCauses.Order.ToList().IndexOf(DoctorCauses.NoDriverImage));
        Assert.True(DoctorCauses.Order.ToList().IndexOf(DoctorCauses.NoDriverImage) < DoctorCauses.Order.ToList().IndexOf(DoctorCauses.MofedWaitStuck));
        Assert.Equal(DoctorCauses.Order.Count, DoctorCauses.Order.Distinct().Count());
        Assert.Equal(DoctorCauses.ComponentNotReady, DoctorCauses.Order[^1]);
    }

    private static string UpgradeOneAtATime(int drainTimeoutSeconds) =>
        "    upgradePolicy:\n" +
        "      autoUpgrade: true\n" +
        "      maxParallelUpgrades: 1\n" +
        "      drain:\n" +
        "        enable: true\n" +
        $"        timeoutSeconds: {drainTimeoutSeconds}\n";

    /// <summary>One nginx pod labelled app=web (and node=&lt;node&gt; when pinned to a node).</summary>
    private static Task<V1Deployment> WebDeploymentAsync(DoctorCluster cluster, string name, string? nodeName)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        if (nodeName is not null)
        {
            labels["node"] = nodeName;
        }

        return cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "web", Image = "nginx" }] },
                },
            },
        }, "default");
    }

    private static Task<V1PodDisruptionBudget> WebBudgetAsync(DoctorCluster cluster, int minAvailable) =>
        cluster.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web-pdb" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = minAvailable,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        }, "default");
}
