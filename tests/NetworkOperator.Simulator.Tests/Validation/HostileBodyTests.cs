using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// Bodies that would crash or swell a naive server (oversized, recursive YAML aliases, alias bombs, deep nesting) get
/// the real server's refusals, and the server keeps answering afterwards.
/// </summary>
public sealed class HostileBodyTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _http = _server.CreateHttpClient(timeout: TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_body_over_3_MiB_is_413()
    {
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + new string('x', 3 * 1024 * 1024) + "\"}}";
        using var response = await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"message\":\"Request entity too large: limit is 3145728\"", text, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"RequestEntityTooLarge\"", text, StringComparison.Ordinal);
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task An_object_over_etcds_limit_is_refused_as_etcd_refuses_it()
    {
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"big\"},\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"p\"}," +
                   "\"reason\":\"Big\",\"message\":\"" + new string('x', 1600 * 1024) + "\"}";
        using var response = await _http.PostAsync("/api/v1/namespaces/default/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("\"message\":\"etcdserver: request is too large\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_recursive_yaml_alias_is_a_400()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: loop\n  labels: *m\n";
        using var response = await ApplyYamlAsync("loop", yaml);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anchor 'm' value contains itself", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_few_hundred_byte_alias_bomb_is_a_400_without_expanding_it()
    {
        var yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        var previous = 'a';
        foreach (var name in "bcdefghi")
        {
            yaml.Append(name).Append(": &").Append(name).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
            previous = name;
        }

        Assert.InRange(yaml.Length, 300, 600);
        var before = GC.GetTotalMemory(forceFullCollection: false);
        using var response = await ApplyYamlAsync("bomb", yaml.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("document contains excessive aliasing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 200L * 1024 * 1024, "the bomb was expanded");
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task Deeply_nested_yaml_and_json_are_400s()
    {
        var deepYaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx: " + new string('[', 200_000) + new string(']', 200_000) + "\n";
        using var yaml = await ApplyYamlAsync("deep", deepYaml);
        Assert.Equal(HttpStatusCode.BadRequest, yaml.StatusCode);
        Assert.Contains("exceeded max depth", await yaml.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var deepJson = "{\"metadata\":{\"name\":\"deep\"},\"x\":" + new string('[', 200_000) + new string(']', 200_000) + "}";
        using var json = await _http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(deepJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task Ordinary_anchors_and_aliases_still_apply()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  labels: &l\n    app: demo\n  annotations: *l\ndata:\n  a: &v one\n  b: *v\n";
        using var response = await ApplyYamlAsync("shared", yaml);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = _server.Resources.Get(_server.Registry.Find("", "v1", "configmaps")!, "default", "shared").ToJsonObject();
        Assert.Equal("demo", stored["metadata"]!["annotations"]!["app"]!.GetValue<string>());
        Assert.Equal("one", stored["data"]!["b"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> ApplyYamlAsync(string name, string yaml)
    {
        var content = new StringContent(yaml, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        return await _http.PatchAsync($"/api/v1/namespaces/default/configmaps/{name}?fieldManager=test", content);
    }

    private async Task AssertStillAnswersAsync()
    {
        using var response = await _http.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
