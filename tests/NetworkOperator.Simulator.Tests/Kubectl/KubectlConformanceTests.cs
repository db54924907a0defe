using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Tests.Support;

namespace NetworkOperator.Simulator.Tests.Kubectl;

/// <summary>
/// The verbs users and scripts run, with the real kubectl (its own kubeconfig and discovery cache per test), and
/// the results checked through the C# client or kubectl's own output.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KubectlConformanceTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Support.Kubectl _kubectl = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _kubectl = new Support.Kubectl(_server);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: nginx:1.27
                env:
                - name: MODE
                  value: fast
              - name: sidecar
                image: busybox:1.36
        """;

    [Fact]
    public async Task Patch_merge_json_and_strategic_change_exactly_what_they_say()
    {
        (await _kubectl.RunAsync("create", "-f", _kubectl.WriteFile("d.yaml", Deployment))).EnsureSuccess();

        (await _kubectl.RunAsync("patch", "deployment", "web", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}""")).EnsureSuccess();
        var afterStrategic = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Equal(["nginx:1.28", "busybox:1.36"], afterStrategic.Spec.Template.Spec.Containers.Select(c => c.Image));
        Assert.Equal("fast", afterStrategic.Spec.Template.Spec.Containers[0].Env.Single().Value);

        (await _kubectl.RunAsync("patch", "deployment", "web", "--type", "merge", "-p", """{"spec":{"replicas":5}}""")).EnsureSuccess();
        (await _kubectl.RunAsync("patch", "deployment", "web", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/template/spec/containers/1/image","value":"busybox:1.37"}]""")).EnsureSuccess();
        var after = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Equal(5, after.Spec.Replicas);
        Assert.Equal(["nginx:1.28", "busybox:1.37"], after.Spec.Template.Spec.Containers.Select(c => c.Image));
        Assert.Equal(4, after.Metadata.Generation);
    }

    [Fact]
    public async Task Apply_client_side_updates_and_prunes_fields_removed_from_the_file()
    {
        var file = _kubectl.WriteFile("d.yaml", Deployment);
        Assert.Contains("deployment.apps/web created", (await _kubectl.RunAsync("apply", "-f", file)).EnsureSuccess().Stdout, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web unchanged", (await _kubectl.RunAsync("apply", "-f", file)).EnsureSuccess().Stdout, StringComparison.Ordinal);

        // Remove the env var and change the image: client-side apply computes a strategic patch from last-applied.
        File.WriteAllText(file, Deployment.Replace("        env:\n        - name: MODE\n          value: fast\n", "", StringComparison.Ordinal)
            .Replace("nginx:1.27", "nginx:1.29", StringComparison.Ordinal));
        Assert.Contains("deployment.apps/web configured", (await _kubectl.RunAsync("apply", "-f", file)).EnsureSuccess().Stdout, StringComparison.Ordinal);
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Equal("nginx:1.29", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Null(deployment.Spec.Template.Spec.Containers[0].Env);
        Assert.Equal("busybox:1.36", deployment.Spec.Template.Spec.Containers[1].Image);
    }

    [Fact]
    public async Task Apply_server_side_creates_then_updates()
    {
        var file = _kubectl.WriteFile("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"1\"\n  b: \"2\"\n");
        Assert.Contains("configmap/ssa serverside-applied", (await _kubectl.RunAsync("apply", "--server-side", "-f", file)).EnsureSuccess().Stdout, StringComparison.Ordinal);
        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"3\"\n");
        (await _kubectl.RunAsync("apply", "--server-side", "-f", file)).EnsureSuccess();
        var cm = await _client.CoreV1.ReadNamespacedConfigMapAsync("ssa", "default");
        Assert.Equal("3", cm.Data["a"]);
        Assert.False(cm.Data.ContainsKey("b"), "a field dropped from the applied configuration is removed when only this manager owned it");
        Assert.Contains(cm.Metadata.ManagedFields, m => m.Manager == "kubectl" && m.Operation == "Apply");
    }

    [Fact]
    public async Task Label_delete_and_wait_for_delete()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "l", Labels = new Dictionary<string, string> { ["old"] = "1" } } }, "default");
        (await _kubectl.RunAsync("label", "cm", "l", "new=2", "old-")).EnsureSuccess();
        Assert.Equal(new Dictionary<string, string> { ["new"] = "2" }, (await _client.CoreV1.ReadNamespacedConfigMapAsync("l", "default")).Labels());

        var wrong = await _kubectl.RunAsync("label", "cm", "l", "new=3");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("already has a value (2)", wrong.Stderr, StringComparison.Ordinal);

        var deleted = (await _kubectl.RunAsync("delete", "cm", "l")).EnsureSuccess();
        Assert.Contains("configmap \"l\" deleted", deleted.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain((await _client.CoreV1.ListNamespacedConfigMapAsync("default")).Items, c => c.Name() == "l");

        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "w", Finalizers = ["example.com/x"] } }, "default");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("w", "default");
        var watchesBefore = _server.Requests.Get("watch", "configmaps");
        var wait = Task.Run(() => _kubectl.RunAsync("wait", "--for=delete", "cm/w", "--timeout=60s"));
        // The finalizer goes only once kubectl watches; before that it would find nothing to wait for and print nothing.
        await Eventually.TrueAsync(() => _server.Requests.Get("watch", "configmaps") > watchesBefore || wait.IsCompleted, "kubectl wait watching the ConfigMap");

        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "w", "default");
        var result = (await wait).EnsureSuccess();
        Assert.Contains("condition met", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_for_condition_on_crd_and_on_pod_status()
    {
        (await _kubectl.RunWithInputAsync(TestCrds.Widget().ToJsonString(), TimeSpan.FromSeconds(90), "create", "-f", "-")).EnsureSuccess();
        var established = (await _kubectl.RunAsync("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=60s")).EnsureSuccess();
        Assert.Contains("condition met", established.Stdout, StringComparison.Ordinal);

        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        }, "default");
        var podWatchesBefore = _server.Requests.Get("watch", "pods");
        var wait = Task.Run(() => _kubectl.RunAsync("wait", "--for=condition=Ready", "pod/p", "--timeout=60s"));
        // The status changes only once kubectl watches the pod, so the condition arrives as a watch event.
        await Eventually.TrueAsync(() => _server.Requests.Get("watch", "pods") > podWatchesBefore || wait.IsCompleted, "kubectl wait watching the pod");
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("p", "default");
        pod.Status.Phase = "Running";
        pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
        await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "p", "default");
        Assert.Contains("pod/p condition met", (await wait).EnsureSuccess().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_a_conflict()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "r" }, Data = new Dictionary<string, string> { ["v"] = "1" } }, "default");
        var yaml = (await _kubectl.RunAsync("get", "cm", "r", "-o", "yaml")).EnsureSuccess().Stdout;
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"2"}}""", V1Patch.PatchType.MergePatch), "r", "default");
        var file = _kubectl.WriteFile("r.yaml", yaml.Replace("v: \"1\"", "v: \"3\"", StringComparison.Ordinal));
        var result = await _kubectl.RunAsync("replace", "-f", file);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error from server (Conflict)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the object has been modified", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("2", (await _client.CoreV1.ReadNamespacedConfigMapAsync("r", "default")).Data["v"]);
    }

    [Fact]
    public async Task Get_prints_server_side_columns_for_pods_and_crd_printer_columns()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p1" },
            Spec = new V1PodSpec { NodeName = "node-a", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        }, "default");
        var pods = (await _kubectl.RunAsync("get", "pods", "-o", "wide")).EnsureSuccess().Stdout;
        var header = pods.Split('\n')[0];
        foreach (var column in new[] { "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE" })
        {
            Assert.Contains(column, header, StringComparison.Ordinal);
        }

        Assert.Matches(@"p1\s+0/1\s+Pending\s+0\s+\S+\s+<none>\s+node-a", pods);

        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(TestCrds.Widget().ToJsonString()));
        var widget = _kubectl.WriteFile("w.yaml", "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 7\n");
        (await _kubectl.RunAsync("create", "-f", widget)).EnsureSuccess();
        var widgets = (await _kubectl.RunAsync("get", "wg")).EnsureSuccess().Stdout;
        Assert.Matches(@"NAME\s+SIZE\s+STATE", widgets);
        Assert.Matches(@"w1\s+7", widgets);

        var unknownField = _kubectl.WriteFile("bad.yaml", "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata:\n  name: w2\nspec:\n  size: 7\n  nope: 1\n");
        var strict = await _kubectl.RunAsync("create", "-f", unknownField);
        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("unknown field", strict.Stderr, StringComparison.Ordinal);

        var invalid = _kubectl.WriteFile("inv.yaml", "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata:\n  name: w3\nspec:\n  size: many\n");
        var rejected = await _kubectl.RunAsync("create", "-f", invalid);
        Assert.Contains("The Widget \"w3\" is invalid", rejected.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.size", rejected.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_walks_a_custom_resources_published_schema_and_follows_its_changes()
    {
        var crd = TestCrds.Widget();
        var spec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        spec["description"] = "What the widget should be.";
        spec["properties"]!["size"]!.AsObject()["description"] = "How many parts, 1 to 10.";
        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));

        var root = (await _kubectl.RunAsync("explain", "widgets")).EnsureSuccess().Stdout;
        Assert.Matches(@"KIND:\s+Widget", root);
        Assert.Matches(@"VERSION:\s+v1alpha1", root);
        Assert.Matches(@"metadata\s+<ObjectMeta>", root);
        Assert.Matches(@"spec\s+<Object>", root);
        Assert.Contains("What the widget should be.", root, StringComparison.Ordinal);

        var specFields = (await _kubectl.RunAsync("explain", "wg.spec")).EnsureSuccess().Stdout;
        Assert.Matches(@"size\s+<integer> -required-", specFields);
        Assert.Contains("How many parts, 1 to 10.", specFields, StringComparison.Ordinal);
        Assert.Matches(@"tags\s+<\[\]string>", specFields);

        var owners = (await _kubectl.RunAsync("explain", "wg.metadata.ownerReferences")).EnsureSuccess().Stdout;
        Assert.Matches(@"uid\s+<string> -required-", owners);

        var missing = await _kubectl.RunAsync("explain", "wg.spec.nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("field \"nope\" does not exist", missing.Stderr, StringComparison.Ordinal);

        // A new field in the CRD is explained at once: the document is rebuilt when the served types change.
        var stored = await _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");
        stored.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["weight"] = new V1JSONSchemaProps { Type = "integer", Description = "Grams." };
        await _client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(stored, stored.Metadata.Name);
        var weight = (await _kubectl.RunAsync("explain", "wg.spec.weight")).EnsureSuccess().Stdout;
        Assert.Matches(@"FIELD:\s+weight <integer>", weight);
        Assert.Contains("Grams.", weight, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_List_file_as_kubectl_get_writes_it_applies_and_its_items_are_still_validated_by_the_server()
    {
        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(TestCrds.Widget().ToJsonString()));
        var list = _kubectl.WriteFile("list.yaml", """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: first}
              data: {k: v}
            - apiVersion: example.com/v1alpha1
              kind: Widget
              metadata: {name: w1}
              spec: {size: 3}
            """);

        var applied = (await _kubectl.RunAsync("apply", "-f", list)).EnsureSuccess().Stdout;
        Assert.Contains("configmap/first created", applied, StringComparison.Ordinal);
        Assert.Contains("widget.example.com/w1 created", applied, StringComparison.Ordinal);

        // What `kubectl get -o yaml` writes is a List too: a backup applies back after a delete.
        var backup = _kubectl.WriteFile("backup.yaml", (await _kubectl.RunAsync("get", "widgets", "-o", "yaml")).EnsureSuccess().Stdout);
        (await _kubectl.RunAsync("delete", "widgets", "--all")).EnsureSuccess();
        Assert.Contains("widget.example.com/w1 created", (await _kubectl.RunAsync("apply", "-f", backup)).EnsureSuccess().Stdout, StringComparison.Ordinal);

        var unknownField = _kubectl.WriteFile("bad-list.yaml", """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: example.com/v1alpha1
              kind: Widget
              metadata: {name: w2}
              spec: {size: 3, nope: 1}
            """);
        var refused = await _kubectl.RunAsync("apply", "-f", unknownField);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("unknown field \"spec.nope\"", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_all_lists_workloads_and_services()
    {
        (await _kubectl.RunAsync("create", "-f", _kubectl.WriteFile("d.yaml", Deployment))).EnsureSuccess();
        await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");
        var all = (await _kubectl.RunAsync("get", "all")).EnsureSuccess().Stdout;
        Assert.Contains("deployment.apps/web", all, StringComparison.Ordinal);
        Assert.Contains("service/web", all, StringComparison.Ordinal);
        Assert.Matches(@"deployment.apps/web\s+0/2", all);
    }

    [Fact]
    public async Task Get_watch_prints_new_objects_as_they_arrive()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "first" } }, "default");
        using var process = _kubectl.Start("get", "cm", "-w");
        var lines = new List<string>();
        var seen = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
                if (e.Data.StartsWith("second", StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => { lock (lines) { return lines.Any(l => l.StartsWith("first", StringComparison.Ordinal)); } }, "initial list printed");
            await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "second" } }, "default");
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }

        lock (lines)
        {
            Assert.Matches(@"NAME\s+DATA\s+AGE", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("second", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Api_resources_come_from_discovery()
    {
        var help = (await _kubectl.RunAsync("api-resources", "--api-group=apps", "-o", "name")).EnsureSuccess().Stdout;
        Assert.Contains("daemonsets.apps", help, StringComparison.Ordinal);
        Assert.Contains("deployments.apps", help, StringComparison.Ordinal);
    }
}
