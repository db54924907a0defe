using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Tests.Support;

namespace NetworkOperator.Simulator.Tests.Admission;

/// <summary>Built-in defaulting as the real server does it, and CRD structural-schema pruning, defaults and validation.</summary>
public sealed class DefaultingAndSchemaTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesJson.Deserialize<V1CustomResourceDefinition>(TestCrds.Widget().ToJsonString()));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task DaemonSet_gets_the_real_servers_defaults()
    {
        var ds = await _client.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "agent" },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container { Name = "a", Image = "repo/agent:v1", Ports = [new V1ContainerPort { ContainerPort = 80 }] },
                            new V1Container { Name = "b", Image = "repo/sidecar" },
                        ],
                    },
                },
            },
        }, "default");
        Assert.Equal("RollingUpdate", ds.Spec.UpdateStrategy.Type);
        Assert.Equal("1", ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal("0", ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal(10, ds.Spec.RevisionHistoryLimit);
        var pod = ds.Spec.Template.Spec;
        Assert.Equal("Always", pod.RestartPolicy);
        Assert.Equal("ClusterFirst", pod.DnsPolicy);
        Assert.Equal("default-scheduler", pod.SchedulerName);
        Assert.Equal(30, pod.TerminationGracePeriodSeconds);
        Assert.NotNull(pod.SecurityContext);
        Assert.Equal("/dev/termination-log", pod.Containers[0].TerminationMessagePath);
        Assert.Equal("File", pod.Containers[0].TerminationMessagePolicy);
        Assert.Equal("IfNotPresent", pod.Containers[0].ImagePullPolicy);
        Assert.Equal("Always", pod.Containers[1].ImagePullPolicy);
        Assert.Equal("TCP", pod.Containers[0].Ports[0].Protocol);
    }

    [Fact]
    public async Task Deployment_and_service_defaults()
    {
        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:latest" }] },
                },
            },
        }, "default");
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("25%", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal(600, deployment.Spec.ProgressDeadlineSeconds);
        Assert.Equal(10, deployment.Spec.RevisionHistoryLimit);

        var service = await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80 }] },
        }, "default");
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.StartsWith("10.96.", service.Spec.ClusterIP, StringComparison.Ordinal);
        Assert.Equal("TCP", service.Spec.Ports[0].Protocol);
        Assert.Equal("80", service.Spec.Ports[0].TargetPort.Value);
        Assert.Equal("None", service.Spec.SessionAffinity);

        // An update that omits the allocated IP keeps it.
        service.Spec.ClusterIP = null;
        service.Spec.ClusterIPs = null;
        var updated = await _client.CoreV1.ReplaceNamespacedServiceAsync(service, "web", "default");
        Assert.StartsWith("10.96.", updated.Spec.ClusterIP, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Volumes_priority_classes_and_replication_controllers_get_their_defaults()
    {
        var pv = await _client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "firmware" },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                AccessModes = ["ReadWriteOnce"],
                HostPath = new V1HostPathVolumeSource { Path = "/data" },
            },
        });
        Assert.Equal("Retain", pv.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("Filesystem", pv.Spec.VolumeMode);
        Assert.Equal("Pending", pv.Status.Phase);
        Assert.NotNull(pv.Status.LastPhaseTransitionTime);

        var priority = await _client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "important" }, Value = 1000 });
        Assert.Equal("PreemptLowerPriority", priority.PreemptionPolicy);

        var labels = new Dictionary<string, string> { ["app"] = "legacy" };
        var rc = await _client.CoreV1.CreateNamespacedReplicationControllerAsync(new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "legacy" },
            Spec = new V1ReplicationControllerSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
                },
            },
        }, "default");
        Assert.Equal(labels, rc.Spec.Selector);
        Assert.Equal(labels, rc.Metadata.Labels);
        Assert.Equal(1, rc.Spec.Replicas);
        Assert.Equal("Always", rc.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public async Task Custom_objects_get_schema_defaults_and_unknown_fields_pruned()
    {
        var created = await CreateWidget("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"ok"},"spec":{"size":2,"bogus":1,"port":"http","extra":{"free":{"form":true}}}}""");
        var spec = created["spec"]!;
        Assert.Equal("red", spec["color"]!.GetValue<string>());
        Assert.Null(spec["bogus"]);
        Assert.True(spec["extra"]!["free"]!["form"]!.GetValue<bool>());
        Assert.Equal("http", spec["port"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_custom_objects_are_422_with_field_paths()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateWidget(
            """{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"bad"},"spec":{"size":"big","color":"pink","name":"ABC","tags":[1]}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        var fields = status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["spec.size", "spec.color", "spec.name", "spec.tags[0]"], fields);
        var message = status["message"]!.GetValue<string>();
        Assert.Contains("Widget.example.com \"bad\" is invalid", message, StringComparison.Ordinal);
        Assert.Contains("spec.size in body must be of type integer: \"string\"", message, StringComparison.Ordinal);
        Assert.Contains("Unsupported value: \"pink\"", message, StringComparison.Ordinal);
        Assert.Contains("spec.name in body should match '^[a-z]+$'", message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => CreateWidget(
            """{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"empty"},"spec":{}}"""));
        Assert.Contains("spec.size: Required value", missing.Response.Content, StringComparison.Ordinal);

        var range = await Assert.ThrowsAsync<HttpOperationException>(() => CreateWidget(
            """{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"big"},"spec":{"size":11}}"""));
        Assert.Contains("spec.size in body should be less than or equal to 10", range.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_field_validation_rejects_unknown_fields_with_400()
    {
        using var http = _server.CreateHttpClient();
        var response = await http.PostAsync("/apis/example.com/v1alpha1/namespaces/default/widgets?fieldValidation=Strict",
            new StringContent("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"s"},"spec":{"size":1,"nope":2}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown field \\\"spec.nope\\\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonNode> CreateWidget(string json)
    {
        var result = await _client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonNode.Parse(json), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);
        return JsonNode.Parse(((System.Text.Json.JsonElement)result).GetRawText())!;
    }
}
