using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Tests.Support;
using static NetworkOperator.Simulator.Tests.Support.StatusRequests;

namespace NetworkOperator.Simulator.Tests.Client;

/// <summary>Client mistakes get the real server's Status answers, never a 500 and never a crash.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _http = _server.CreateHttpClient(timeout: TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("application/json", "{not json")]
    [InlineData("application/json", "[1,2]")]
    [InlineData("application/yaml", "metadata: [unclosed")]
    [InlineData("application/json", "{\"metadata\":{\"name\":\"a\"}} trailing")]
    public async Task Malformed_bodies_are_400_with_a_status(string contentType, string body)
    {
        var response = await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal(400, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Yaml_bodies_are_accepted()
    {
        var response = await _http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("metadata:\n  name: from-yaml\ndata:\n  n: \"1\"\n", Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ConfigMap", created["kind"]!.GetValue<string>());
        Assert.Equal("1", created["data"]!["n"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/frobs")]
    [InlineData("/api/v1/namespaces/default/pods/a/exec/extra/segments")]
    [InlineData("/apis/apps/v1/namespaces/default/deployments/x/scale-nope")]
    public async Task Unknown_resources_of_the_built_in_groups_are_404_statuses(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mismatched_kind_and_url_name_are_400()
    {
        var wrongKind = await _http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);

        await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"metadata":{"name":"a"}}""", Encoding.UTF8, "application/json"));
        var wrongName = await _http.PutAsync("/api/v1/namespaces/default/configmaps/a",
            new StringContent("""{"metadata":{"name":"b"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongName.StatusCode);
    }

    [Fact]
    public async Task Updates_and_patches_keep_the_urls_name_namespace_and_uid_as_the_handlers_check_them()
    {
        var created = JsonNode.Parse(await (await _http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"name":"meta"}}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        const string OtherUid = "00000000-0000-0000-0000-000000000001";

        // A PUT body without a name is not the URL's object (the handler's checkName), nor one from another namespace.
        await AssertStatusAsync(await _http.PutAsync("/api/v1/namespaces/default/configmaps/meta", Json("""{"metadata":{}}""")),
            400, "BadRequest", "the name of the object () does not match the name on the URL (meta)");
        await AssertStatusAsync(await _http.PutAsync("/api/v1/namespaces/default/configmaps/meta",
                Json("""{"metadata":{"name":"meta","namespace":"kube-system"}}""")),
            400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        // Its UID is a precondition storage checks.
        await AssertStatusAsync(await _http.PutAsync("/api/v1/namespaces/default/configmaps/meta",
                Json($$$"""{"metadata":{"name":"meta","uid":"{{{OtherUid}}}"}}""")),
            409, "Conflict", $"Operation cannot be fulfilled on configmaps \"meta\": Precondition failed: UID in precondition: {OtherUid}, UID in object meta: {uid}");

        // A patch may not rename or move the object, and the UID is immutable.
        await AssertStatusAsync(await PatchAsync("/api/v1/namespaces/default/configmaps/meta", """{"metadata":{"name":"other"}}"""),
            400, "BadRequest", "the name of the object (other) does not match the name on the URL (meta)");
        await AssertStatusAsync(await PatchAsync("/api/v1/namespaces/default/configmaps/meta", """{"metadata":{"namespace":"kube-system"}}"""),
            400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        await AssertStatusAsync(await PatchAsync("/api/v1/namespaces/default/configmaps/meta", $$$"""{"metadata":{"uid":"{{{OtherUid}}}"}}"""),
            422, "Invalid", $"ConfigMap \"meta\" is invalid: metadata.uid: Invalid value: \"{OtherUid}\": field is immutable");

        // The same UID, and a cluster-scoped object's namespace (cleared), are fine.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("/api/v1/namespaces/default/configmaps/meta",
            $$$$"""{"metadata":{"uid":"{{{{uid}}}}","labels":{"a":"b"}}}""")).StatusCode);
        await _http.PostAsync("/api/v1/namespaces", Json("""{"metadata":{"name":"scoped"}}"""));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("/api/v1/namespaces/scoped", """{"metadata":{"namespace":"x"}}""")).StatusCode);
    }

    private Task<HttpResponseMessage> PatchAsync(string path, string body) => _http.MergePatchAsync(path, body);

    [Fact]
    public async Task Unsupported_patch_type_is_415_and_health_endpoints_answer()
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/a")
        {
            Content = new StringContent("{}", Encoding.UTF8, "text/plain"),
        };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _http.SendAsync(request)).StatusCode);
        Assert.Equal("ok", await _http.GetStringAsync("/healthz"));
        Assert.Equal("ok", await _http.GetStringAsync("/readyz"));
    }
}
