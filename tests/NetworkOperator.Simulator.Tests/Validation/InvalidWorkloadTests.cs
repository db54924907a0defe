using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// A DaemonSet a real server refuses (selector not matching the template, duplicate container names, a mount of a
/// missing volume) is refused here too, with every field error, through kubectl and through KubernetesClient.
/// </summary>
public sealed class InvalidWorkloadTests : IAsyncLifetime
{
    private const string BadDaemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: bad
        spec:
          selector:
            matchLabels:
              app: agent
          template:
            metadata:
              labels:
                app: other
            spec:
              containers:
              - name: agent
                image: example.com/agent:1.0
                volumeMounts:
                - name: missing
                  mountPath: /data
              - name: agent
                image: example.com/agent:1.0
        """;

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

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_create_prints_every_field_error()
    {
        var file = _kubectl.WriteFile("ds.yaml", BadDaemonSet);
        var result = await _kubectl.RunAsync("create", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The DaemonSet \"bad\" is invalid", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`",
            result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.template.spec.containers[1].name: Duplicate value: \"agent\"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"missing\"", result.Stderr, StringComparison.Ordinal);
        Assert.Null(_server.Resources.TryGet(_server.Registry.Find("apps", "v1", "daemonsets")!, "default", "bad"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_apply_cannot_change_a_daemonset_selector()
    {
        const string valid = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: good
            spec:
              selector:
                matchLabels:
                  app: agent
              template:
                metadata:
                  labels:
                    app: agent
                    app2: agent2
                spec:
                  containers:
                  - name: agent
                    image: example.com/agent:1.0
            """;
        var file = _kubectl.WriteFile("ds.yaml", valid);
        (await _kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();

        var changedSelector = valid.Replace("      app: agent\n  template:", "      app2: agent2\n  template:", StringComparison.Ordinal);
        Assert.NotEqual(valid, changedSelector);
        File.WriteAllText(file, changedSelector);
        var changed = await _kubectl.RunAsync("apply", "-f", file);

        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app2\":\"agent2\"}, " +
                        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable", changed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubernetesClient_gets_a_422_status_with_each_cause()
    {
        var daemonSet = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "bad" },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "other" } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "agent", Image = "example.com/agent:1.0",
                                VolumeMounts = [new V1VolumeMount { Name = "missing", MountPath = "/data" }],
                            },
                            new V1Container { Name = "agent", Image = "example.com/agent:1.0" },
                        ],
                    },
                },
            },
        };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.AppsV1.CreateNamespacedDaemonSetAsync(daemonSet, "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("DaemonSet", status.Details.Kind);
        Assert.Equal("apps", status.Details.Group);
        var causes = status.Details.Causes.Select(c => (c.Field, c.Reason)).ToList();
        Assert.Equal(
            [
                ("spec.template.metadata.labels", "FieldValueInvalid"),
                ("spec.template.spec.containers[0].volumeMounts[0].name", "FieldValueNotFound"),
                ("spec.template.spec.containers[1].name", "FieldValueDuplicate"),
            ],
            causes);
        Assert.StartsWith("DaemonSet.apps \"bad\" is invalid: [spec.template.metadata.labels: Invalid value: ", status.Message, StringComparison.Ordinal);
    }
}
