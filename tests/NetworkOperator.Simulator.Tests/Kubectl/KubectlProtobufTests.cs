using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Simulator.Tests.Kubectl;

/// <summary>
/// kubectl's imperative commands send built-in kinds as application/vnd.kubernetes.protobuf and never fall back to
/// JSON; these run them for real and check what the server stored is what a real server would store.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KubectlProtobufTests
{
    [Fact]
    public async Task Imperative_create_commands_store_the_objects_a_real_server_would()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var kubectl = new Support.Kubectl(server);
        using var client = server.CreateClient();

        (await kubectl.RunAsync("create", "namespace", "team-a")).EnsureSuccess();
        (await kubectl.RunAsync("create", "configmap", "settings", "-n", "team-a", "--from-literal=mode=fast", "--from-literal=empty=")).EnsureSuccess();
        (await kubectl.RunAsync("create", "secret", "generic", "token", "-n", "team-a", "--from-literal=value=s3cret")).EnsureSuccess();
        (await kubectl.RunAsync("create", "deployment", "web", "-n", "team-a", "--image=example/web:1", "--replicas=0", "--port=8080")).EnsureSuccess();
        (await kubectl.RunAsync("create", "role", "reader", "-n", "team-a", "--verb=get,list", "--resource=pods")).EnsureSuccess();
        (await kubectl.RunAsync("create", "serviceaccount", "robot", "-n", "team-a")).EnsureSuccess();

        Assert.Equal("team-a", (await client.CoreV1.ReadNamespaceAsync("team-a")).Metadata.Name);
        var settings = await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "team-a");
        Assert.Equal(new Dictionary<string, string> { ["mode"] = "fast", ["empty"] = "" }, settings.Data);
        var token = await client.CoreV1.ReadNamespacedSecretAsync("token", "team-a");
        Assert.Equal("Opaque", token.Type);
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(token.Data["value"]));

        var web = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "team-a");
        Assert.Equal(0, web.Spec.Replicas); // a pointer field set to zero is kept
        Assert.Equal("web", web.Spec.Selector.MatchLabels["app"]);
        var container = Assert.Single(web.Spec.Template.Spec.Containers);
        Assert.Equal(("web", "example/web:1"), (container.Name, container.Image));
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
        Assert.Null(Assert.Single(container.Ports).HostPort); // zero non-pointer fields are left out, as Go's JSON does
        Assert.Null(web.Spec.Paused);

        var reader = await client.RbacAuthorizationV1.ReadNamespacedRoleAsync("reader", "team-a");
        var rule = Assert.Single(reader.Rules);
        Assert.Equal(["get", "list"], rule.Verbs);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal("robot", (await client.CoreV1.ReadNamespacedServiceAccountAsync("robot", "team-a")).Metadata.Name);
    }

    [Fact]
    public async Task Drain_evicts_through_the_eviction_api_and_honours_disruption_budgets()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 3, SyntheticNodes = { CpuOnlyShare = 0 } });
        using var kubectl = new Support.Kubectl(cluster.Server);
        using var client = cluster.CreateClient();
        (await kubectl.RunAsync("create", "deployment", "api", "--image=example/api:1", "--replicas=2")).EnsureSuccess();
        (await kubectl.RunAsync("create", "poddisruptionbudget", "api", "--selector=app=api", "--min-available=1")).EnsureSuccess();
        (await kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=90s")).EnsureSuccess();
        await Eventually.TrueAsync(async () => (await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("api", "default")).Status?.DisruptionsAllowed == 1,
            "budget allows one disruption");

        var node = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items[0].Spec.NodeName;
        var drain = (await kubectl.RunAsync("drain", node, "--ignore-daemonsets", "--timeout=90s")).EnsureSuccess();
        Assert.Contains("evicting pod default/api-", drain.Stdout + drain.Stderr, StringComparison.Ordinal);
        Assert.Contains($"node/{node} drained", drain.Stdout, StringComparison.Ordinal);
        Assert.True((await client.CoreV1.ReadNodeAsync(node)).Spec.Unschedulable);
        await Eventually.TrueAsync(async () =>
        {
            var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items;
            return pods.Count == 2 && pods.All(p => p.Spec.NodeName != node && p.Status.Phase == "Running");
        }, "replacement scheduled elsewhere");
    }
}
