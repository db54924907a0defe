using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Serialization;

/// <summary>
/// client-go tools send built-in kinds as application/vnd.kubernetes.protobuf (helm's release Secrets, kubectl's
/// generator commands); the server decodes them like the real one and answers in JSON, which those clients accept.
/// </summary>
public sealed class ProtobufBodyTests : IAsyncLifetime
{
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

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_generator_commands_that_send_protobuf_create_secrets_config_maps_and_namespaces()
    {
        (await _kubectl.RunAsync("create", "secret", "generic", "creds", "--from-literal=user=admin", "--type=example.com/basic")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "configmap", "settings", "--from-literal=mode=fast")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "namespace", "team-a")).EnsureSuccess();

        var secret = await GetAsync("/api/v1/namespaces/default/secrets/creds");
        Assert.Equal("YWRtaW4=", secret["data"]!["user"]!.GetValue<string>());
        Assert.Equal("example.com/basic", secret["type"]!.GetValue<string>());
        var configMap = await GetAsync("/api/v1/namespaces/default/configmaps/settings");
        Assert.Equal("fast", configMap["data"]!["mode"]!.GetValue<string>());
        Assert.Equal("Active", (await GetAsync("/api/v1/namespaces/team-a"))["status"]!["phase"]!.GetValue<string>());
        Assert.True(_server.Requests.Get("create", "secrets") >= 1);
    }

    [Fact]
    public async Task A_protobuf_secret_keeps_labels_binary_data_and_pointer_fields_and_omits_empty_strings()
    {
        var metadata = Proto.Message(
            Proto.String(1, "release.v1"), Proto.String(2, ""), Proto.String(3, ""), Proto.LengthDelimited(8, []),
            Proto.MapEntry(11, "owner", Proto.String(2, "helm")), Proto.MapEntry(11, "status", Proto.String(2, "deployed")));
        var secret = Proto.Message(
            Proto.LengthDelimited(1, metadata),
            Proto.MapEntry(2, "release", Proto.Bytes(2, [0x1f, 0x8b, 0x00, 0xff])),
            Proto.String(3, "helm.sh/release.v1"),
            Proto.Varint(5, 0));

        var response = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", Proto.Envelope("v1", "Secret", secret));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var stored = await GetAsync("/api/v1/namespaces/default/secrets/release.v1");
        Assert.Equal("helm", stored["metadata"]!["labels"]!["owner"]!.GetValue<string>());
        Assert.Equal("deployed", stored["metadata"]!["labels"]!["status"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(new byte[] { 0x1f, 0x8b, 0x00, 0xff }), stored["data"]!["release"]!.GetValue<string>());
        Assert.Equal("helm.sh/release.v1", stored["type"]!.GetValue<string>());
        // immutable is a Go pointer: an explicit false is kept; empty generateName is dropped like omitempty does.
        Assert.False(stored["immutable"]!.GetValue<bool>());
        Assert.Null(stored["metadata"]!["generateName"]);
    }

    [Fact]
    public async Task A_protobuf_update_is_checked_against_the_resource_version_it_carries()
    {
        var created = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            Proto.Envelope("v1", "ConfigMap", Proto.Message(Proto.LengthDelimited(1, Proto.Message(Proto.String(1, "cm"))), Proto.MapEntry(2, "k", Proto.String(2, "1")))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var version = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!.GetValue<string>();

        ByteArrayContent Update(string resourceVersion, string value) => Proto.Envelope("v1", "ConfigMap", Proto.Message(
            Proto.LengthDelimited(1, Proto.Message(Proto.String(1, "cm"), Proto.String(6, resourceVersion))), Proto.MapEntry(2, "k", Proto.String(2, value))));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm", Update(version, "2"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm", Update(version, "3"))).StatusCode);
        Assert.Equal("2", (await GetAsync("/api/v1/namespaces/default/configmaps/cm"))["data"]!["k"]!.GetValue<string>());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_protobuf_delete_options_body_applies_its_preconditions()
    {
        (await _kubectl.RunAsync("create", "configmap", "doomed", "--from-literal=a=b")).EnsureSuccess();
        var wrongUid = Proto.Envelope("v1", "DeleteOptions", Proto.Message(Proto.LengthDelimited(2, Proto.Message(Proto.String(1, "not-the-uid")))));
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/doomed", wrongUid)).StatusCode);

        var plain = Proto.Envelope("v1", "DeleteOptions", Proto.Message(Proto.String(4, "Background")));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/doomed", plain)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/v1/namespaces/default/configmaps/doomed")).StatusCode);
    }

    [Fact]
    public async Task Kinds_without_a_protobuf_table_are_415_and_garbage_is_400()
    {
        // kubectl never sends CustomResourceDefinitions as protobuf; the decoder has no table for them.
        var crd = Proto.Envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition",
            Proto.Message(Proto.LengthDelimited(1, Proto.Message(Proto.String(1, "things.example.com")))));
        var unsupported = await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Contains("application/json", await unsupported.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var truncated = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x7f, 0x01]);
        truncated.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        var bad = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", truncated);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Status", JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.ParseAdd("application/vnd.kubernetes.protobuf,application/json");
        return await _http.SendAsync(request);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A minimal protobuf encoder, enough to build the messages client-go sends.</summary>
    private static class Proto
    {
        public static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

        public static byte[] String(int field, string value) => LengthDelimited(field, Encoding.UTF8.GetBytes(value));

        public static byte[] Bytes(int field, byte[] value) => LengthDelimited(field, value);

        public static byte[] Varint(int field, ulong value) => [.. VarintBytes((ulong)(field << 3)), .. VarintBytes(value)];

        public static byte[] LengthDelimited(int field, byte[] value) =>
            [.. VarintBytes((ulong)((field << 3) | 2)), .. VarintBytes((ulong)value.Length), .. value];

        public static byte[] MapEntry(int field, string key, byte[] value) => LengthDelimited(field, Message(String(1, key), value));

        public static ByteArrayContent Envelope(string apiVersion, string kind, byte[] raw)
        {
            var unknown = Message(LengthDelimited(1, Message(String(1, apiVersion), String(2, kind))), Bytes(2, raw), String(3, ""), String(4, ""));
            var content = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00, .. unknown]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
            return content;
        }

        private static byte[] VarintBytes(ulong value)
        {
            var bytes = new List<byte>();
            do
            {
                var b = (byte)(value & 0x7f);
                value >>= 7;
                bytes.Add(value == 0 ? b : (byte)(b | 0x80));
            }
            while (value != 0);
            return [.. bytes];
        }
    }
}
