using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Tests.Support;

namespace NetworkOperator.Simulator.Tests.Client;

/// <summary>CRDs are served as soon as they are created, and custom objects get the generic CRUD verbs.</summary>
public sealed class CustomResourceTests : IAsyncLifetime
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
    public async Task Paths_nothing_serves_get_the_404_of_the_handler_that_would_own_them()
    {
        using var http = _server.CreateHttpClient();
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":1}}"""),
            TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);

        async Task<(HttpStatusCode Code, string? Type, string Body)> SendAsync(HttpMethod method, string path)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : new StringContent("{}") });
            return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
        }

        // A CRD group, a group nobody serves, a CRD's unserved version, a namespaced custom kind read without its
        // namespace: the real server hands these to its last handler, Go's http.NotFound.
        foreach (var path in new[]
        {
            "/apis/example.com/v1alpha1/namespaces/default/gadgets",
            "/apis/nothing.example/v1/things",
            "/apis/example.com/v9/namespaces/default/widgets",
            "/apis/example.com/v1alpha1/widgets/w1",
        })
        {
            var plain = await SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.NotFound, plain.Code);
            Assert.Equal("text/plain; charset=utf-8", plain.Type);
            Assert.Equal("404 page not found\n", plain.Body);
        }

        // Under /api and the built-in groups go-restful claims the path and answers a Status.
        foreach (var path in new[] { "/apis/apps/v1/namespaces/default/gadgets", "/api/v1/gadgets", "/api/v1/pods/p1", "/api/v1/pods/p1?watch=true" })
        {
            var status = await SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.NotFound, status.Code);
            Assert.Equal("the server could not find the requested resource", (string?)JsonNode.Parse(status.Body)!["message"]);
        }

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await SendAsync(HttpMethod.Post, "/api/v1/pods")).Code);

        // The CRD handler itself: a subresource it does not serve names the object; status takes get, update and patch.
        var scale = await SendAsync(HttpMethod.Get, "/apis/example.com/v1alpha1/namespaces/default/widgets/w1/scale");
        Assert.Equal(HttpStatusCode.NotFound, scale.Code);
        Assert.Equal("widgets.example.com \"w1\" not found", (string?)JsonNode.Parse(scale.Body)!["message"]);
        var post = await SendAsync(HttpMethod.Post, "/apis/example.com/v1alpha1/namespaces/default/widgets/w1/status");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Code);
        Assert.Equal("create is not supported on resources of kind \"widgets.example.com\"", (string?)JsonNode.Parse(post.Body)!["message"]);
    }

    [Fact]
    public async Task Created_crd_reports_established_and_names_accepted()
    {
        var crd = await _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");
        Assert.Equal("True", crd.Status.Conditions.Single(c => c.Type == "Established").Status);
        Assert.Equal("True", crd.Status.Conditions.Single(c => c.Type == "NamesAccepted").Status);
        Assert.Equal("Widget", crd.Status.AcceptedNames.Kind);
        Assert.Equal(["v1alpha1"], crd.Status.StoredVersions);
    }

    [Fact]
    public async Task Custom_objects_support_crud_and_status_subresource_through_custom_objects_api()
    {
        var body = JsonNode.Parse("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3},"status":{"state":"ignored"}}""");
        var created = (JsonElement)await _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);
        Assert.Equal(1, created.GetProperty("metadata").GetProperty("generation").GetInt64());
        Assert.False(created.TryGetProperty("status", out _), "status is dropped on create when the status subresource is enabled");

        var status = JsonNode.Parse("""{"status":{"state":"Ready"}}""");
        var afterStatus = (JsonElement)await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status!.ToJsonString(), V1Patch.PatchType.MergePatch), TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "w1");
        Assert.Equal("Ready", afterStatus.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(1, afterStatus.GetProperty("metadata").GetProperty("generation").GetInt64());

        var list = (JsonElement)await _client.CustomObjects.ListNamespacedCustomObjectAsync(TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);
        Assert.Equal("WidgetList", list.GetProperty("kind").GetString());
        Assert.Equal("w1", list.GetProperty("items")[0].GetProperty("metadata").GetProperty("name").GetString());

        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "w1");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.GetNamespacedCustomObjectAsync(TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural, "w1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("widgets.example.com \\\"w1\\\" not found", missing.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_client_round_trips_custom_and_core_kinds()
    {
        using var widgets = new GenericClient(_client, TestCrds.Group, TestCrds.Version, TestCrds.Plural, disposeClient: false);
        var widget = new GenericObject("example.com/v1alpha1", "Widget", "w2", new JsonObject { ["size"] = 2 });
        await widgets.CreateNamespacedAsync(widget, "default");
        var read = await widgets.ReadNamespacedAsync<GenericObject>("default", "w2");
        Assert.Equal("w2", read.Metadata.Name);

        using var configMaps = new GenericClient(_client, "", "v1", "configmaps", disposeClient: false);
        await configMaps.CreateNamespacedAsync(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "g" } }, "default");
        var list = await configMaps.ListNamespacedAsync<V1ConfigMapList>("default");
        Assert.Contains(list.Items, c => c.Name() == "g");
    }

    [Fact]
    public async Task Deleting_the_crd_removes_its_objects_and_stops_serving_the_type()
    {
        var body = JsonNode.Parse("""{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"doomed"},"spec":{"size":1}}""");
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural);
        await _client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.com");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");
                return false;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "CRD removed");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.ListNamespacedCustomObjectAsync(TestCrds.Group, TestCrds.Version, "default", TestCrds.Plural));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
        Assert.Empty(_server.Resources.Store.Snapshot("widgets.example.com"));
    }

    private sealed class GenericObject : IKubernetesObject<V1ObjectMeta>
    {
        public GenericObject()
        {
        }

        public GenericObject(string apiVersion, string kind, string name, JsonObject spec)
        {
            ApiVersion = apiVersion;
            Kind = kind;
            Metadata = new V1ObjectMeta { Name = name };
            Spec = spec;
        }

        [System.Text.Json.Serialization.JsonPropertyName("apiVersion")]
        public string ApiVersion { get; set; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("kind")]
        public string Kind { get; set; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("metadata")]
        public V1ObjectMeta Metadata { get; set; } = new();

        [System.Text.Json.Serialization.JsonPropertyName("spec")]
        public JsonObject? Spec { get; set; }
    }
}
