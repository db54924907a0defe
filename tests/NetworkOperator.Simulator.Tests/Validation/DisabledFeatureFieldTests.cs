using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// Fields behind feature gates that a default 1.32 server has off are dropped on write, as its registry strategies do,
/// and security context conflicts are refused through kubectl as the real server refuses them.
/// </summary>
public sealed class DisabledFeatureFieldTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_pod_is_stored_without_the_fields_of_disabled_gates()
    {
        var pod = KubernetesJson.Deserialize<V1Pod>("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"userns"},
             "spec":{"hostUsers":false,
                     "resources":{"limits":{"cpu":"1"}},
                     "securityContext":{"supplementalGroupsPolicy":"Strict","runAsUser":1000},
                     "volumes":[{"name":"models","image":{"reference":"example.com/models:1"}},{"name":"scratch","emptyDir":{}}],
                     "containers":[{"name":"c","image":"example.com/app:1",
                                    "securityContext":{"procMount":"Unmasked"},
                                    "resizePolicy":[{"resourceName":"cpu","restartPolicy":"NotRequired"}],
                                    "volumeMounts":[{"name":"models","mountPath":"/models"},{"name":"scratch","mountPath":"/tmp"}]}]}}
            """);

        await _client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var stored = _server.Resources.TryGet(_server.Registry.Find("", "v1", "pods")!, "default", "userns")!.ToJsonObject();
        var spec = stored["spec"]!.AsObject();
        var container = spec["containers"]![0]!.AsObject();
        Assert.False(spec.ContainsKey("hostUsers"));
        Assert.False(spec.ContainsKey("resources"));
        Assert.Equal("""{"runAsUser":1000}""", spec["securityContext"]!.ToJsonString());
        Assert.Equal("Default", container["securityContext"]!["procMount"]!.GetValue<string>());
        Assert.False(container.ContainsKey("resizePolicy"));
        var volumes = spec["volumes"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(2, volumes.Count);
        Assert.Equal("scratch", volumes[0]);
        Assert.StartsWith("kube-api-access-", volumes[1], StringComparison.Ordinal);
        Assert.DoesNotContain(container["volumeMounts"]!.AsArray(), m => m!["name"]!.GetValue<string>() == "models");
    }

    [Fact]
    public void A_field_the_stored_object_already_uses_is_kept_on_update()
    {
        var pods = _server.Registry.Find("", "v1", "pods")!;
        var old = JsonNode.Parse("""{"spec":{"hostUsers":false,"containers":[{"name":"c","securityContext":{"procMount":"Unmasked"}}]}}""")!.AsObject();
        var updated = old.DeepClone().AsObject();

        DisabledPodFields.Drop(pods, updated, old);

        Assert.True(JsonNode.DeepEquals(old, updated));
    }

    [Fact]
    public async Task A_template_with_a_conflicting_security_context_is_refused()
    {
        var daemonSet = KubernetesJson.Deserialize<V1DaemonSet>("""
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"driver"},
             "spec":{"selector":{"matchLabels":{"app":"driver"}},
                     "template":{"metadata":{"labels":{"app":"driver"}},
                                 "spec":{"containers":[{"name":"d","image":"example.com/driver:1",
                                                        "securityContext":{"privileged":true,"allowPrivilegeEscalation":false}}]}}}}
            """);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => _client.AppsV1.CreateNamespacedDaemonSetAsync(daemonSet, "default"));

        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("spec.template.spec.containers[0].securityContext", Assert.Single(status.Details.Causes).Field);
        Assert.Contains("cannot set `allowPrivilegeEscalation` to false and `privileged` to true", status.Message, StringComparison.Ordinal);
    }
}
