using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Tests.Support;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// Fields a kind does not declare in Kubernetes 1.32 never reach storage, as with a real server decoding into its Go
/// types: dropped with a warning by default, dropped silently under fieldValidation=Ignore, refused under Strict
/// (kubectl's default) with the create/update handler's 400 or the patch handler's 422.
/// </summary>
public sealed class UnknownFieldTests : IAsyncLifetime
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"bogus":1,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"hostnameOverride":"h","containers":[{"name":"c","image":"nginx","foo":"bar",
             "livenessProbe":{"httpGet":{"port":80}},
             "env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k"}}}]}],
            "volumes":[{"name":"v","emptyDir":{}}]}}}}
        """;

    private SimulatedApiServer _server = null!;
    private HttpClient _http = null!;
    private Support.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _http = _server.CreateHttpClient(timeout: TimeSpan.FromSeconds(60));
        _kubectl = new Support.Kubectl(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task By_default_unknown_fields_are_dropped_with_one_warning_each_and_known_embedded_fields_kept()
    {
        var response = await PostAsync("/apis/apps/v1/namespaces/default/deployments", Deployment);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            [
                "299 - \"unknown field \\\"spec.bogus\\\"\"",
                "299 - \"unknown field \\\"spec.template.spec.containers[0].foo\\\"\"",
                "299 - \"unknown field \\\"spec.template.spec.hostnameOverride\\\"\"",
            ],
            response.Headers.GetValues("Warning").Order(StringComparer.Ordinal));
        var stored = await GetAsync("/apis/apps/v1/namespaces/default/deployments/web");
        Assert.Null(stored["spec"]!["bogus"]);
        var pod = stored["spec"]!["template"]!["spec"]!;
        Assert.Null(pod["hostnameOverride"]); // a Kubernetes 1.34 field: 1.32 does not have it
        Assert.Null(pod["containers"]![0]!["foo"]);
        // Fields of embedded structs (probe handler, local object reference, volume source) are the parent's own.
        Assert.Equal(80, pod["containers"]![0]!["livenessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal("cm", pod["containers"]![0]!["env"]![0]!["valueFrom"]!["configMapKeyRef"]!["name"]!.GetValue<string>());
        Assert.NotNull(pod["volumes"]![0]!["emptyDir"]);
    }

    [Fact]
    public async Task Strict_refuses_the_body_naming_every_unknown_field_and_ignore_drops_them_silently()
    {
        var strict = await PostAsync("/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict", Deployment);
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        var status = JsonNode.Parse(await strict.Content.ReadAsStringAsync())!;
        Assert.Equal("BadRequest", status["reason"]!.GetValue<string>());
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.bogus\", "
            + "unknown field \"spec.template.spec.hostnameOverride\", unknown field \"spec.template.spec.containers[0].foo\"",
            status["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/apis/apps/v1/namespaces/default/deployments/web")).StatusCode);

        var ignore = await PostAsync("/apis/apps/v1/namespaces/default/deployments?fieldValidation=Ignore", Deployment);
        Assert.Equal(HttpStatusCode.Created, ignore.StatusCode);
        Assert.False(ignore.Headers.Contains("Warning"));
        Assert.Null((await GetAsync("/apis/apps/v1/namespaces/default/deployments/web"))["spec"]!["bogus"]);
    }

    [Fact]
    public async Task Strict_patches_are_refused_with_422_on_the_patch_and_merge_patches_warn_by_default()
    {
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("/api/v1/namespaces/default/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}""")).StatusCode);

        var merge = await PatchAsync("/api/v1/namespaces/default/configmaps/cm?fieldValidation=Strict", "application/merge-patch+json",
            """{"dta":{"b":"2"}}""");
        Assert.Equal((HttpStatusCode)422, merge.StatusCode);
        var status = JsonNode.Parse(await merge.Content.ReadAsStringAsync())!;
        var message = status["message"]!.GetValue<string>();
        Assert.StartsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"a\\\":\\\"1\\\"},\\\"dta\\\":{\\\"b\\\":\\\"2\\\"},",
            message, StringComparison.Ordinal);
        Assert.EndsWith("\": strict decoding error: unknown field \"dta\"", message, StringComparison.Ordinal);
        Assert.Equal("patch", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Null(status["details"]!["name"]);

        var strategic = await PatchAsync("/api/v1/namespaces/default/configmaps/cm?fieldValidation=Strict",
            "application/strategic-merge-patch+json", """{"data":{"b":"2"},"extra":{"n":3,"list":["x",true]}}""");
        Assert.Equal((HttpStatusCode)422, strategic.StatusCode);
        Assert.Equal(
            " \"\" is invalid: patch: Invalid value: \"map[data:map[b:2] extra:map[list:[x true] n:3]]\": strict decoding error: unknown field \"extra\"",
            JsonNode.Parse(await strategic.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());

        var warned = await PatchAsync("/api/v1/namespaces/default/configmaps/cm", "application/merge-patch+json", """{"data":{"b":"2"},"dta":1}""");
        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        Assert.Equal("299 - \"unknown field \\\"dta\\\"\"", Assert.Single(warned.Headers.GetValues("Warning")));
        var stored = await GetAsync("/api/v1/namespaces/default/configmaps/cm");
        Assert.Equal("2", stored["data"]!["b"]!.GetValue<string>());
        Assert.Null(stored["dta"]);
    }

    [Fact]
    public async Task Server_side_apply_of_a_built_in_kind_fails_on_a_field_its_schema_lacks()
    {
        var response = await PatchAsync("/api/v1/namespaces/default/configmaps/applied?fieldManager=me", "application/apply-patch+yaml",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied","namespace":"default"},"data":{"a":"1"},"dta":{}}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("failed to create typed patch object (default/applied; /v1, Kind=ConfigMap): .dta: field not declared in schema",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/namespaces/default/configmaps/applied")).StatusCode);
    }

    [Fact]
    public async Task Custom_resources_get_the_same_wording_and_their_metadata_is_checked_against_object_meta()
    {
        using var client = _server.CreateClient();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesJson.Deserialize<V1CustomResourceDefinition>(TestCrds.Widget().ToJsonString()));
        var body = """{"apiVersion":"example.com/v1alpha1","kind":"Widget","metadata":{"name":"w","colour":"red"},"spec":{"size":1,"nope":2}}""";

        var strict = await PostAsync("/apis/example.com/v1alpha1/namespaces/default/widgets?fieldValidation=Strict", body);
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal(
            "Widget in version \"v1alpha1\" cannot be handled as a Widget: strict decoding error: unknown field \"metadata.colour\", unknown field \"spec.nope\"",
            JsonNode.Parse(await strict.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());

        var warned = await PostAsync("/apis/example.com/v1alpha1/namespaces/default/widgets", body);
        Assert.Equal(HttpStatusCode.Created, warned.StatusCode);
        Assert.Equal(2, warned.Headers.GetValues("Warning").Count());
        var stored = await GetAsync("/apis/example.com/v1alpha1/namespaces/default/widgets/w");
        Assert.Null(stored["metadata"]!["colour"]);
        Assert.Null(stored["spec"]!["nope"]);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_apply_of_a_misspelled_field_is_refused_and_with_validate_false_the_field_is_dropped()
    {
        var file = _kubectl.WriteFile("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndta:\n  a: \"1\"\n");

        var refused = await _kubectl.RunAsync("apply", "-f", file);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"dta\"",
            refused.Stderr, StringComparison.Ordinal);

        (await _kubectl.RunAsync("apply", "--validate=false", "-f", file)).EnsureSuccess();
        Assert.Null((await GetAsync("/api/v1/namespaces/default/configmaps/typo"))["dta"]);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PatchAsync(string path, string contentType, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return _http.PatchAsync(path, content);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
