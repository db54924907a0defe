using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// A pod's spec is all but immutable after creation (Kubernetes 1.32's ValidatePodUpdate), and a node is assigned
/// only through the pods/binding subresource, as kube-scheduler does it.
/// </summary>
public sealed class PodUpdateTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private SimulatedApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _http = _server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Images_may_change_but_any_other_spec_field_is_forbidden_with_the_updatable_fields_listed()
    {
        await CreatePodAsync("""{"containers":[{"name":"c","image":"nginx:1"}]}""");

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("p", """{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}""")).StatusCode);

        var message = await InvalidAsync(await PatchAsync("p", """{"spec":{"containers":[{"name":"c","command":["sleep"]}]}}"""));
        Assert.StartsWith(
            "Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n",
            message, StringComparison.Ordinal);
        Assert.Contains("+ \tcontainers[0].command: [\"sleep\"]", message, StringComparison.Ordinal);

        var added = await InvalidAsync(await PatchAsync("p", """{"spec":{"containers":[{"name":"c","image":"nginx:2"},{"name":"d","image":"busybox"}]}}"""));
        Assert.Equal("Pod \"p\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers", added);
    }

    [Fact]
    public async Task Node_name_is_set_by_binding_once_never_by_an_update()
    {
        await CreatePodAsync("""{"containers":[{"name":"c","image":"nginx"}]}""");

        var patched = await InvalidAsync(await PatchAsync("p", """{"spec":{"nodeName":"node-a"}}"""));
        Assert.Contains("spec: Forbidden: pod updates may not change fields other than", patched, StringComparison.Ordinal);
        Assert.Contains("+ \tnodeName: \"node-a\"", patched, StringComparison.Ordinal);

        var bound = await BindAsync("p", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","annotations":{"scheduler":"test"}},"target":{"kind":"Node","name":"node-a"}}""");
        Assert.Equal(HttpStatusCode.Created, bound.StatusCode);
        Assert.Equal("Success", JsonNode.Parse(await bound.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        var pod = JsonNode.Parse(await _http.GetStringAsync($"{Pods}/p"))!;
        Assert.Equal("node-a", pod["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Equal("test", pod["metadata"]!["annotations"]!["scheduler"]!.GetValue<string>());
        var scheduled = pod["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "PodScheduled")!;
        Assert.Equal("True", scheduled["status"]!.GetValue<string>());

        var again = await BindAsync("p", """{"metadata":{"name":"p"},"target":{"name":"node-b"}}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"node-a\"",
            JsonNode.Parse(await again.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());

        var wrongKind = await BindAsync("p", """{"metadata":{"name":"p"},"target":{"kind":"Pod","name":"x"}}""");
        Assert.Equal(HttpStatusCode.InternalServerError, wrongKind.StatusCode);
        Assert.Equal("target.kind: Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\"",
            JsonNode.Parse(await wrongKind.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tolerations_may_only_be_added_deadlines_only_shortened_and_gates_only_removed()
    {
        await CreatePodAsync("""
            {"activeDeadlineSeconds":60,"schedulingGates":[{"name":"a"}],
             "tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}],
             "containers":[{"name":"c","image":"nginx"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("p", """
            {"spec":{"tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":20},{"key":"new","operator":"Exists"}]}}
            """)).StatusCode);
        Assert.Equal("Pod \"p\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
            await InvalidAsync(await PatchAsync("p", """{"spec":{"tolerations":[{"key":"other","operator":"Exists"}]}}""")));

        Assert.Equal("Pod \"p\" is invalid: spec.activeDeadlineSeconds: Invalid value: 100: must be less than or equal to previous value",
            await InvalidAsync(await PatchAsync("p", """{"spec":{"activeDeadlineSeconds":100}}""")));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("p", """{"spec":{"activeDeadlineSeconds":30}}""")).StatusCode);

        Assert.Equal("Pod \"p\" is invalid: spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'b'",
            await InvalidAsync(await PatchAsync("p", """{"spec":{"schedulingGates":[{"name":"a"},{"name":"b"}]}}""")));
        var gated = await BindAsync("p", """{"metadata":{"name":"p"},"target":{"name":"node-a"}}""");
        Assert.Equal(HttpStatusCode.Conflict, gated.StatusCode);
        Assert.Contains("pod p has non-empty .spec.schedulingGates", await gated.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A gated pod may gain node selector terms; once the gate is removed, binding works.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("p", """{"spec":{"nodeSelector":{"zone":"a"}}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("p", """{"spec":{"schedulingGates":null}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BindAsync("p", """{"metadata":{"name":"p"},"target":{"name":"node-a"}}""")).StatusCode);
    }

    private async Task CreatePodAsync(string spec)
    {
        var response = await _http.PostAsync(Pods, new StringContent(
            $$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{{spec}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private Task<HttpResponseMessage> PatchAsync(string name, string patch)
    {
        var content = new StringContent(patch, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/strategic-merge-patch+json");
        return _http.PatchAsync($"{Pods}/{name}", content);
    }

    private Task<HttpResponseMessage> BindAsync(string name, string binding) =>
        _http.PostAsync($"{Pods}/{name}/binding", new StringContent(binding, Encoding.UTF8, "application/json"));

    private static async Task<string> InvalidAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (HttpStatusCode)422, body);
        return JsonNode.Parse(body)!["message"]!.GetValue<string>();
    }
}
