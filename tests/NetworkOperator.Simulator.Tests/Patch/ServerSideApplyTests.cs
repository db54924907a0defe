using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Patch;

/// <summary>Server-side apply: create when missing, field ownership per manager, removal of fields a manager drops.</summary>
public sealed class ServerSideApplyTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private HttpClient _http = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _http = _server.CreateHttpClient();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Fields_dropped_by_a_manager_are_removed_unless_another_manager_owns_them()
    {
        Assert.Equal(HttpStatusCode.Created, await Apply("alice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"shared":"1","a":"1"}},"data":{"a":"1","b":"2"}}"""));
        Assert.Equal(HttpStatusCode.OK, await Apply("bob", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"shared":"1"}},"data":{"c":"3"}}"""));
        Assert.Equal(HttpStatusCode.OK, await Apply("alice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"9"}}"""));

        var cm = await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "9", ["c"] = "3" }, cm.Data);
        Assert.Equal(new Dictionary<string, string> { ["shared"] = "1" }, cm.Labels());
        Assert.Equal(["alice", "bob"], cm.Metadata.ManagedFields.Select(m => m.Manager).Order());
    }

    [Fact]
    public async Task Containers_dropped_from_an_applied_deployment_are_removed_and_repeated_apply_is_a_no_op()
    {
        const string both = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"d"}},
             "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}}}
            """;
        Assert.Equal(HttpStatusCode.Created, await Apply("op", both));
        var first = await _client.AppsV1.ReadNamespacedDeploymentAsync("d", "default");
        Assert.Equal(HttpStatusCode.OK, await Apply("op", both));
        Assert.Equal(first.ResourceVersion(), (await _client.AppsV1.ReadNamespacedDeploymentAsync("d", "default")).ResourceVersion());

        Assert.Equal(HttpStatusCode.OK, await Apply("op", both.Replace(""",{"name":"b","image":"b:1"}""", "", StringComparison.Ordinal)));
        var after = await _client.AppsV1.ReadNamespacedDeploymentAsync("d", "default");
        Assert.Equal(["a"], after.Spec.Template.Spec.Containers.Select(c => c.Name));
        Assert.Equal(2, after.Metadata.Generation);
    }

    [Fact]
    public async Task Apply_without_field_manager_is_rejected()
    {
        var response = await _http.PatchAsync("/api/v1/namespaces/default/configmaps/x",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", Encoding.UTF8, "application/apply-patch+yaml"));
        // PatchOptions validation's 422, as the real server answers.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    private async Task<HttpStatusCode> Apply(string manager, string body)
    {
        var name = JsonNode.Parse(body)!["metadata"]!["name"]!.GetValue<string>();
        var kind = JsonNode.Parse(body)!["kind"]!.GetValue<string>();
        var path = kind == "Deployment" ? $"/apis/apps/v1/namespaces/default/deployments/{name}" : $"/api/v1/namespaces/default/configmaps/{name}";
        var response = await _http.PatchAsync($"{path}?fieldManager={manager}&force=true",
            new StringContent(body, Encoding.UTF8, "application/apply-patch+yaml"));
        return response.StatusCode;
    }
}
