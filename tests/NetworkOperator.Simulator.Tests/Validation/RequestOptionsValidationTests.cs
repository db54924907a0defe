using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// A write's options are checked before the object is touched, as CreateOptions/UpdateOptions/PatchOptions/
/// DeleteOptions validation does on a real server: 422 naming the options kind, and nothing written.
/// </summary>
public sealed class RequestOptionsValidationTests : IAsyncLifetime
{
    private const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}""";

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
    public async Task Dry_run_true_is_refused_instead_of_writing_and_every_bad_option_is_listed()
    {
        var refused = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps?dryRun=true", ConfigMap);
        Assert.Equal(
            "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"true\"}: supported values: \"All\"",
            await InvalidMessageAsync(refused));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/namespaces/default/configmaps/cm")).StatusCode);

        var both = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps?dryRun=x&fieldValidation=strict", ConfigMap);
        Assert.Equal(
            "CreateOptions.meta.k8s.io \"\" is invalid: [dryRun: Unsupported value: []string{\"x\"}: supported values: \"All\", "
            + "fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"]",
            await InvalidMessageAsync(both));

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps?dryRun=All", ConfigMap)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/namespaces/default/configmaps/cm")).StatusCode);
    }

    [Fact]
    public async Task Field_managers_must_be_short_and_printable_and_apply_needs_one()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap)).StatusCode);

        var tooLong = await SendAsync(HttpMethod.Put, $"/api/v1/namespaces/default/configmaps/cm?fieldManager={new string('m', 129)}", ConfigMap);
        Assert.Equal("UpdateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes",
            await InvalidMessageAsync(tooLong));

        var control = await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm?fieldManager=a%09b", ConfigMap);
        Assert.Equal("UpdateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\tb\": invalid character U+0009 (at position 1)",
            await InvalidMessageAsync(control));

        var applied = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/cm", ConfigMap, "application/apply-patch+yaml");
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            await InvalidMessageAsync(applied));

        var forced = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/cm?force=true", """{"data":{"a":"2"}}""",
            "application/merge-patch+json");
        var status = JsonNode.Parse(await forced.Content.ReadAsStringAsync())!;
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", status["message"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io", status["details"]!["group"]!.GetValue<string>());
        Assert.Equal("PatchOptions", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("FieldValueForbidden", status["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_options_name_the_supported_propagation_policies()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap)).StatusCode);

        var bogus = await _http.DeleteAsync("/api/v1/namespaces/default/configmaps/cm?propagationPolicy=Bogus");
        Assert.Equal(
            "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Bogus\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
            await InvalidMessageAsync(bogus));

        var both = await _http.DeleteAsync("/api/v1/namespaces/default/configmaps/cm?propagationPolicy=Orphan&orphanDependents=true");
        Assert.Equal(
            "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set",
            await InvalidMessageAsync(both));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/v1/namespaces/default/configmaps/cm")).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await _http.SendAsync(request);
    }

    private static async Task<string> InvalidMessageAsync(HttpResponseMessage response)
    {
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Null(status["details"]!["name"]);
        return status["message"]!.GetValue<string>();
    }
}
