using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Tests.Cluster;
using KubectlRunner = NetworkOperator.Simulator.Tests.Support.Kubectl;

namespace NetworkOperator.Simulator.Tests.PodSecurity;

/// <summary>The PodSecurity admission plugin through the real kubectl and KubernetesClient, and its effect on the simulated controllers.</summary>
public sealed class PodSecurityAdmissionTests
{
    private const string PrivilegedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: priv
        spec:
          hostNetwork: true
          containers:
          - name: agent
            image: example/agent:1
            securityContext:
              privileged: true
        """;

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_privileged_pod_in_a_restricted_namespace_is_refused_with_the_real_message()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var kubectl = new KubectlRunner(server);
        (await kubectl.RunAsync("create", "namespace", "locked")).EnsureSuccess();
        (await kubectl.RunAsync("label", "namespace", "locked", "pod-security.kubernetes.io/enforce=restricted")).EnsureSuccess();

        var file = kubectl.WriteFile("pod.yaml", PrivilegedPod);
        var refused = await kubectl.RunAsync("apply", "-n", "locked", "-f", file);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal(
            $"Error from server (Forbidden): error when creating \"{file}\": pods \"priv\" is forbidden: violates PodSecurity \"restricted:latest\": " +
            "host namespaces (hostNetwork=true), " +
            "privileged (container \"agent\" must not set securityContext.privileged=true), " +
            "allowPrivilegeEscalation != false (container \"agent\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"agent\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"agent\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"agent\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            refused.Stderr.Trim());
        Assert.Equal(string.Empty, (await kubectl.RunAsync("get", "pods", "-n", "locked", "-o", "name")).EnsureSuccess().Stdout.Trim());

        // The same refusal through KubernetesClient: a 403 Status naming the pod.
        using var client = server.CreateClient();
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "example/web:1" }] },
        }, "locked"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Contains("pods \\\"web\\\" is forbidden: violates PodSecurity \\\"restricted:latest\\\": allowPrivilegeEscalation != false", error.Response.Content, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_pod_that_meets_restricted_is_admitted_and_a_privileged_namespace_admits_anything()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var kubectl = new KubectlRunner(server);
        (await kubectl.RunAsync("create", "namespace", "locked")).EnsureSuccess();
        (await kubectl.RunAsync("label", "namespace", "locked", "pod-security.kubernetes.io/enforce=restricted")).EnsureSuccess();
        (await kubectl.RunAsync("apply", "-n", "locked", "-f", kubectl.WriteFile("good.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: good
            spec:
              securityContext:
                runAsNonRoot: true
                seccompProfile: {type: RuntimeDefault}
              volumes:
              - name: config
                configMap: {name: settings}
              containers:
              - name: app
                image: example/app:1
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
            """))).EnsureSuccess();

        (await kubectl.RunAsync("create", "namespace", "open")).EnsureSuccess();
        (await kubectl.RunAsync("label", "namespace", "open", "pod-security.kubernetes.io/enforce=privileged")).EnsureSuccess();
        (await kubectl.RunAsync("apply", "-n", "open", "-f", kubectl.WriteFile("pod.yaml", PrivilegedPod))).EnsureSuccess();

        // No labels and no configured defaults: privileged, as a server without an AdmissionConfiguration.
        (await kubectl.RunAsync("apply", "-n", "default", "-f", kubectl.WriteFile("pod.yaml", PrivilegedPod))).EnsureSuccess();
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Workload_templates_get_warnings_at_the_warn_level_and_are_never_refused()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var kubectl = new KubectlRunner(server);
        (await kubectl.RunAsync("create", "namespace", "team")).EnsureSuccess();
        (await kubectl.RunAsync("label", "namespace", "team", "pod-security.kubernetes.io/enforce=baseline", "pod-security.kubernetes.io/warn=baseline")).EnsureSuccess();

        var applied = (await kubectl.RunAsync("apply", "-n", "team", "-f", kubectl.WriteFile("ds.yaml", """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata:
                  labels: {app: agent}
                spec:
                  hostPID: true
                  volumes:
                  - name: host
                    hostPath: {path: /}
                  containers:
                  - name: agent
                    image: example/agent:1
                    securityContext:
                      capabilities: {add: [SYS_ADMIN, NET_ADMIN]}
            """))).EnsureSuccess();

        Assert.Contains("daemonset.apps/agent created", applied.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            "Warning: would violate PodSecurity \"baseline:latest\": host namespaces (hostPID=true), " +
            "non-default capabilities (container \"agent\" must not include \"NET_ADMIN\", \"SYS_ADMIN\" in securityContext.capabilities.add), " +
            "hostPath volumes (volume \"host\")",
            applied.Stderr, StringComparison.Ordinal);

        // A pod with the same spec is refused: only pods are enforced.
        var pod = await kubectl.RunAsync("run", "shell", "-n", "team", "--image=example/shell:1",
            "--overrides={\"spec\":{\"hostPID\":true}}");
        Assert.NotEqual(0, pod.ExitCode);
        Assert.Contains("pods \"shell\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostPID=true)", pod.Stderr, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Invalid_namespace_labels_are_refused_and_tightening_enforce_warns_about_existing_pods()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var kubectl = new KubectlRunner(server);
        var invalid = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("ns.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: typo
              labels:
                pod-security.kubernetes.io/enforce: strict
            """));
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("Namespace \"typo\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": " +
            "must be one of privileged, baseline, restricted", invalid.Stderr, StringComparison.Ordinal);

        (await kubectl.RunAsync("create", "namespace", "apps")).EnsureSuccess();
        (await kubectl.RunAsync("apply", "-n", "apps", "-f", kubectl.WriteFile("pod.yaml", PrivilegedPod))).EnsureSuccess();
        var tightened = (await kubectl.RunAsync("label", "namespace", "apps", "pod-security.kubernetes.io/enforce=baseline")).EnsureSuccess();
        Assert.Contains("Warning: existing pods in namespace \"apps\" violate the new PodSecurity enforce level \"baseline:latest\"", tightened.Stderr, StringComparison.Ordinal);
        Assert.Contains("Warning: priv: host namespaces, privileged", tightened.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controllers_record_FailedCreate_and_ReplicaFailure_until_the_namespace_allows_their_pods()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { Nodes = ClusterTestNodes.Mixed() });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "infra", Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "baseline" } },
        });
        var ds = ClusterTestNodes.DaemonSet("agent", "example/agent:1", ns: "infra");
        ds.Spec.Template.Spec.Containers[0].SecurityContext = new V1SecurityContext { Privileged = true };
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ds, "infra");
        await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { HostNetwork = true, Containers = [new V1Container { Name = "web", Image = "example/web:1" }] },
                },
            },
        }, "infra");

        var failed = await Eventually.ValueAsync(async () => (await client.CoreV1.ListNamespacedEventAsync("infra",
            fieldSelector: "involvedObject.kind=DaemonSet,involvedObject.name=agent,reason=FailedCreate")).Items.FirstOrDefault(), "a FailedCreate event", Eventually.LongTimeout);
        Assert.Equal("Warning", failed.Type);
        Assert.Matches(@"^Error creating: pods ""agent-[a-z0-9]{5}"" is forbidden: violates PodSecurity ""baseline:latest"": " +
            @"privileged \(container ""agent"" must not set securityContext.privileged=true\)$", failed.Message);

        var deployment = await Eventually.ValueAsync(async () =>
        {
            var d = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "infra");
            return d.Status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure") is not null ? d : null;
        }, "the Deployment's ReplicaFailure condition", Eventually.LongTimeout);
        var failure = deployment.Status.Conditions.Single(c => c.Type == "ReplicaFailure");
        Assert.Equal(("True", "FailedCreate"), (failure.Status, failure.Reason));
        Assert.Contains("is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)", failure.Message, StringComparison.Ordinal);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("infra")).Items);

        // The namespace admits privileged pods now: the controllers' retries create them and the failure is cleared.
        await client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}""",
            V1Patch.PatchType.MergePatch), "infra");
        await Eventually.ValueAsync(async () =>
        {
            var d = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "infra");
            var a = await client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "infra");
            return d.Status?.AvailableReplicas == 1 && d.Status.Conditions.All(c => c.Type != "ReplicaFailure")
                && a.Status?.NumberAvailable == a.Status?.DesiredNumberScheduled && a.Status?.DesiredNumberScheduled > 0 ? d : null;
        }, "pods running after the namespace was relabelled", Eventually.LongTimeout);
    }
}
