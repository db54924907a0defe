using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Simulator.Tests.Cluster;

public sealed class WorkloadTests
{
    private static V1Deployment Deployment(string name, int replicas, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    [Fact]
    public async Task Pods_of_a_deleted_node_are_failed_and_force_deleted_after_the_quarantine_and_replaced()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            NodeCount = 3,
            PodGarbageCollectionPeriod = TimeSpan.FromMilliseconds(100),
            PodGarbageCollectionQuarantine = TimeSpan.FromSeconds(1),
        });
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3, "example/web:1"), "default");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Status?.AvailableReplicas == 3, "web available");
        // A finalizer keeps the collected pod readable, so what the collector wrote before deleting it can be checked.
        var victim = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web")).Items[0];
        var node = victim.Spec.NodeName;
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"finalizers":["example.com/keep"]}}""", V1Patch.PatchType.MergePatch),
            victim.Metadata.Name, "default");
        var started = DateTime.UtcNow;

        await client.CoreV1.DeleteNodeAsync(node);

        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync(victim.Metadata.Name, "default")).Metadata.DeletionTimestamp is not null,
            "the orphan is deleted");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1), "not before the quarantine");
        var collected = await client.CoreV1.ReadNamespacedPodAsync(victim.Metadata.Name, "default");
        Assert.Equal("Failed", collected.Status.Phase);
        var condition = Assert.Single(collected.Status.Conditions, c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "DeletionByPodGC", "PodGC: node no longer exists"), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal(0, collected.Metadata.DeletionGracePeriodSeconds);

        // The ReplicaSet no longer counts it and runs a third pod on a node that exists.
        await Eventually.TrueAsync(async () =>
        {
            var live = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web")).Items
                .Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            return live.Count == 3 && live.All(p => p.Spec.NodeName != node && p.Status?.Phase == "Running");
        }, "a replacement runs elsewhere");
    }

    [Fact]
    public async Task Deployment_creates_a_replica_set_reports_status_and_rolls_to_a_new_template()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 3 });
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3, "example/web:1"), "default");

        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Status?.AvailableReplicas == 3, "web available");
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Equal(3, deployment.Status.Replicas);
        Assert.Equal(3, deployment.Status.ReadyReplicas);
        Assert.Equal(3, deployment.Status.UpdatedReplicas);
        Assert.Equal(1, deployment.Status.ObservedGeneration);
        Assert.Equal("True", deployment.Status.Conditions.Single(c => c.Type == "Available").Status);
        Assert.Equal("NewReplicaSetAvailable", deployment.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        var rs = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items);
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal(3, rs.Status.ReadyReplicas);
        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web")).Items;
        Assert.All(pods, p => Assert.StartsWith($"web-{hash}-", p.Metadata.Name, StringComparison.Ordinal));

        deployment.Spec.Template.Spec.Containers[0].Image = "example/web:2";
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "default");
        await Eventually.TrueAsync(async () =>
        {
            var d = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
            var current = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web")).Items;
            return d.Status.ObservedGeneration == 2 && d.Status.UpdatedReplicas == 3 && d.Status.AvailableReplicas == 3 && d.Status.Replicas == 3 &&
                   current.Count == 3 && current.All(p => p.Spec.Containers[0].Image == "example/web:2");
        }, "web rolled to v2");
        var sets = (await client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items;
        Assert.Equal(2, sets.Count);
        Assert.Equal(0, sets.Single(s => s.Metadata.Name == rs.Metadata.Name).Spec.Replicas);
    }

    [Fact]
    public async Task A_Recreate_deployment_whose_pod_is_refused_is_not_available_and_says_why()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 1 });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "no-pods" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("0") } },
        }, "default");
        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedResourceQuotaAsync("no-pods", "default")).Status?.Used is { Count: 1 },
            "quota counted");
        var deployment = Deployment("solo", 1, "example/solo:1");
        deployment.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };

        await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");

        var status = await Eventually.ValueAsync(async () =>
            (await client.AppsV1.ReadNamespacedDeploymentAsync("solo", "default")).Status is { Conditions: { } c } s && c.Any(x => x.Type == "ReplicaFailure") ? s : null,
            "the refusal reaches the deployment");
        // Recreate may leave nothing unavailable, so no replica available is no minimum availability.
        var available = status.Conditions.Single(c => c.Type == "Available");
        Assert.Equal(("False", "MinimumReplicasUnavailable"), (available.Status, available.Reason));
        var failure = status.Conditions.Single(c => c.Type == "ReplicaFailure");
        Assert.Equal("FailedCreate", failure.Reason);
        Assert.Matches("^pods \"solo-[a-z0-9]+-[a-z0-9]{5}\" is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0$", failure.Message);
    }

    [Fact]
    public async Task Nodes_registered_without_conditions_join_ready_and_those_with_conditions_keep_them()
    {
        var bare = new V1Node { Metadata = new V1ObjectMeta { Name = "bare", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "bare" } } };
        var down = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "down", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "down" } },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady" }] },
        };
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { Nodes = [bare, down] });
        using var client = cluster.CreateClient();

        var ready = (await client.CoreV1.ReadNodeAsync("bare")).Status.Conditions.Single();
        Assert.Equal(("Ready", "True", "KubeletReady"), (ready.Type, ready.Status, ready.Reason));
        Assert.Equal("False", (await client.CoreV1.ReadNodeAsync("down")).Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task Failure_overrides_crash_loop_with_growing_restart_count_and_recover_when_cleared()
    {
        var options = new SimulatedClusterOptions { NodeCount = 2, CrashLoopBackoff = TimeSpan.FromMilliseconds(100) };
        options.Failures.Add(new FailureOverride(Image: "broken-driver"));
        await using var cluster = await SimulatedCluster.StartAsync(options);
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("driver", "example/broken-driver:1"), "default");

        await Eventually.TrueAsync(async () =>
        {
            var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=driver")).Items;
            return pods.Count == 2 && pods.All(p => p.Status.ContainerStatuses?.Single().RestartCount >= 3);
        }, "restart counts growing");
        var pod = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=driver")).Items[0];
        var container = pod.Status.ContainerStatuses.Single();
        Assert.Equal("Running", pod.Status.Phase);
        Assert.False(container.Ready);
        Assert.Equal("CrashLoopBackOff", container.State.Waiting.Reason);
        Assert.Equal(1, container.LastState.Terminated.ExitCode);
        var ds = await client.AppsV1.ReadNamespacedDaemonSetAsync("driver", "default");
        Assert.Equal(0, ds.Status.NumberReady);
        Assert.Equal(2, ds.Status.CurrentNumberScheduled);

        cluster.ClearFailures();
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDaemonSetAsync("driver", "default")).Status?.NumberReady == 2, "driver recovered");
    }

    [Fact]
    public async Task Per_node_failure_and_per_node_kubelet_delay()
    {
        var options = new SimulatedClusterOptions { NodeCount = 3, SyntheticNodes = { CpuOnlyShare = 0 } };
        options.Failures.Add(new FailureOverride(Node: "node-0002"));
        options.NodeKubeletDelays["node-0003"] = TimeSpan.FromHours(1);
        await using var cluster = await SimulatedCluster.StartAsync(options);
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("agent", "example/agent:1"), "default");

        await Eventually.TrueAsync(async () =>
        {
            var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=agent")).Items;
            return pods.Count == 3 && pods.Any(p => p.Spec.NodeName == "node-0002" && p.Status.ContainerStatuses?.Single().RestartCount > 0) &&
                   pods.Any(p => p.Spec.NodeName == "node-0001" && p.Status.Phase == "Running");
        }, "node-0001 running, node-0002 crashing");
        var all = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=agent")).Items;
        var slow = all.Single(p => p.Spec.NodeName == "node-0003");
        Assert.Equal("Pending", slow.Status.Phase);
        Assert.Null(slow.Status.ContainerStatuses);
        Assert.Equal(1, (await client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "default")).Status.NumberReady);
    }

    [Fact]
    public async Task Cordon_and_eviction_respect_a_pod_disruption_budget_and_graceful_termination()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 3, ContainerStopDelay = TimeSpan.FromSeconds(3) });
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", 2, "example/api:1"), "default");
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
            },
        }, "default");
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("api", "default")).Status?.AvailableReplicas == 2, "api available");

        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items;
        var node = pods[0].Spec.NodeName;
        await client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":true}}""", V1Patch.PatchType.MergePatch), node);

        // First eviction is allowed (2 healthy, 1 required); the pod terminates gracefully and is replaced elsewhere.
        var first = pods.First(p => p.Spec.NodeName == node);
        await client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = first.Metadata.Name, NamespaceProperty = "default" } },
            first.Metadata.Name, "default");
        var marked = await client.CoreV1.ReadNamespacedPodAsync(first.Metadata.Name, "default");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        await Eventually.TrueAsync(async () =>
        {
            var current = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items;
            return current.Count == 2 && current.All(p => p.Metadata.Name != first.Metadata.Name && p.Status.Phase == "Running");
        }, "evicted pod replaced");
        var replacement = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items;
        Assert.DoesNotContain(replacement, p => p.Spec.NodeName == node && p.Metadata.CreationTimestamp > first.Metadata.CreationTimestamp);

        // With one pod not yet Ready the budget allows no disruption: the eviction is refused with 429.
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("api", "default")).Status?.AvailableReplicas == 2, "api available again");
        cluster.AddFailure(new FailureOverride(Image: "example/api"));
        var victim = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items[0];
        await client.CoreV1.DeleteNamespacedPodAsync(victim.Metadata.Name, "default");
        await Eventually.TrueAsync(async () =>
        {
            var current = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items;
            return current.Count == 2 && current.Count(p => p.Status.ContainerStatuses?.Any(c => c.RestartCount > 0) == true) == 1;
        }, "one crashing pod");
        var healthy = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items
            .Single(p => p.Status.ContainerStatuses?.All(c => c.Ready) == true);
        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = healthy.Metadata.Name, NamespaceProperty = "default" } }, healthy.Metadata.Name, "default"));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
    }
}
