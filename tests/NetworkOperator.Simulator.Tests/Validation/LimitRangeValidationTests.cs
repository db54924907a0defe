using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// LimitRange objects are validated as Kubernetes 1.32's ValidateLimitRange does, after the defaulting that fills a
/// Container item's default and defaultRequest. Errors of different resources come out of Go maps in random order on
/// the real server, so those lists are compared without their order.
/// </summary>
public sealed class LimitRangeValidationTests : IAsyncLifetime
{
    private const string LimitRanges = "/api/v1/namespaces/default/limitranges";

    private const string BadNamePart =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

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
    public async Task A_valid_limit_range_is_accepted_with_its_container_defaults_filled()
    {
        var response = await CreateAsync("ok", """
            {"limits":[
              {"type":"Container","min":{"cpu":"100m","memory":"64Mi"},"max":{"cpu":"2","memory":"1Gi","example.com/gpu":"2"},
               "defaultRequest":{"cpu":"250m"},"maxLimitRequestRatio":{"cpu":"10"}},
              {"type":"Pod","max":{"cpu":"4","hugepages-2Mi":"1Gi"}},
              {"type":"PersistentVolumeClaim","min":{"storage":"1Gi"},"max":{"storage":"10Gi"}},
              {"type":"example.com/Custom","max":{"requests.storage":"1Ti"}}
            ]}
            """);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var container = JsonNode.Parse(body)!["spec"]!["limits"]![0]!;
        Assert.Equal("2", container["default"]!["cpu"]!.GetValue<string>());
        Assert.Equal("250m", container["defaultRequest"]!["cpu"]!.GetValue<string>());
        Assert.Equal("1Gi", container["defaultRequest"]!["memory"]!.GetValue<string>());
        Assert.Equal("2", container["defaultRequest"]!["example.com/gpu"]!.GetValue<string>());
    }

    [Fact]
    public async Task Types_must_be_standard_or_qualified_and_used_once()
    {
        var response = await CreateAsync("types", """
            {"limits":[{"type":"Node"},{"type":"example.com/Custom"},{"type":"Container"},{"type":"Container"},{"type":"bad type"},{}]}
            """);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (HttpStatusCode)422, body);
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());

        string[] expected =
        [
            "spec.limits[0].type: Invalid value: \"Node\": must be a standard limit type or fully qualified",
            "spec.limits[3].type: Duplicate value: \"Container\"",
            $"spec.limits[4].type: Invalid value: \"bad type\": {BadNamePart}",
            "spec.limits[5].type: Invalid value: \"\": name part must be non-empty",
            $"spec.limits[5].type: Invalid value: \"\": {BadNamePart}",
        ];
        Assert.Equal(expected, Causes(status));
        Assert.Equal($"LimitRange \"types\" is invalid: [{string.Join(", ", expected)}]", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resource_names_follow_the_container_rules_for_pods_and_containers_and_the_general_rules_otherwise()
    {
        var pod = await RefusedAsync("""
            {"limits":[{"type":"Pod","max":{"foo":"1","storage":"1Gi","requests.example.com/gpu":"1","example.com/gpu":"1","cpu":"1"},
                        "min":{"bad name":"1"}}]}
            """);
        Assert.Equal(
            Sorted(
                "spec.limits[0].max[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "spec.limits[0].max[foo]: Invalid value: \"foo\": must be a standard resource for containers",
                "spec.limits[0].max[storage]: Invalid value: \"storage\": must be a standard resource for containers",
                "spec.limits[0].max[requests.example.com/gpu]: Invalid value: \"requests.example.com/gpu\": doesn't follow extended resource name standard",
                $"spec.limits[0].min[bad name]: Invalid value: \"bad name\": {BadNamePart}",
                "spec.limits[0].min[bad name]: Invalid value: \"bad name\": must be a standard resource for containers"),
            Sorted(pod));

        // Other types take any standard or qualified name: storage and object counts are fine, an unknown word is not.
        Assert.Equal(
            ["spec.limits[0].max[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified"],
            await RefusedAsync("""
                {"limits":[{"type":"PersistentVolumeClaim","max":{"storage":"1Gi","foo":"1","requests.example.com/gpu":"1"}}]}
                """));
    }

    [Fact]
    public async Task A_pod_item_has_no_defaults_and_a_claim_item_bounds_storage()
    {
        Assert.Equal(
            [
                "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
                "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'",
                "spec.limits[1].limits: Required value: either minimum or maximum storage value is required, but neither was provided",
            ],
            await RefusedAsync("""
                {"limits":[{"type":"Pod","default":{"cpu":"1"},"defaultRequest":{"cpu":"1"}},
                           {"type":"PersistentVolumeClaim","max":{"cpu":"1"}}]}
                """));
    }

    [Fact]
    public async Task Min_default_request_default_and_max_must_be_in_order()
    {
        Assert.Equal(
            ["spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1"],
            await RefusedAsync("""{"limits":[{"type":"example.com/Custom","min":{"cpu":"2"},"max":{"cpu":"1"}}]}"""));

        var causes = await RefusedAsync("""
            {"limits":[{"type":"example.com/Custom",
              "min":{"cpu":"500m","ephemeral-storage":"2Gi"},
              "max":{"memory":"1Gi","storage":"1Gi"},
              "default":{"memory":"1Gi","ephemeral-storage":"1Gi","storage":"2Gi"},
              "defaultRequest":{"cpu":"250m","memory":"2Gi"}}]}
            """);
        Assert.Equal(
            Sorted(
                "spec.limits[0].defaultRequest[cpu]: Invalid value: \"250m\": min value 500m is greater than default request value 250m",
                "spec.limits[0].defaultRequest[memory]: Invalid value: \"2Gi\": default request value 2Gi is greater than max value 1Gi",
                "spec.limits[0].defaultRequest[memory]: Invalid value: \"2Gi\": default request value 2Gi is greater than default limit value 1Gi",
                "spec.limits[0].default[ephemeral-storage]: Invalid value: \"2Gi\": min value 2Gi is greater than default value 1Gi",
                "spec.limits[0].default[storage]: Invalid value: \"1Gi\": default value 2Gi is greater than max value 1Gi"),
            Sorted(causes));
    }

    [Fact]
    public async Task Validation_sees_the_defaults_a_container_item_gets_from_max_and_min()
    {
        // default cpu is filled from max (1), so the request of 2 exceeds both.
        Assert.Equal(
            [
                "spec.limits[0].defaultRequest[cpu]: Invalid value: \"2\": default request value 2 is greater than max value 1",
                "spec.limits[0].defaultRequest[cpu]: Invalid value: \"2\": default request value 2 is greater than default limit value 1",
            ],
            await RefusedAsync("""{"limits":[{"type":"Container","max":{"cpu":"1"},"defaultRequest":{"cpu":"2"}}]}"""));

        // default and defaultRequest are both 1 (from max), below the min.
        Assert.Equal(
            [
                "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
                "spec.limits[0].defaultRequest[cpu]: Invalid value: \"1\": min value 2 is greater than default request value 1",
                "spec.limits[0].default[cpu]: Invalid value: \"2\": min value 2 is greater than default value 1",
            ],
            await RefusedAsync("""{"limits":[{"type":"Container","min":{"cpu":"2"},"max":{"cpu":"1000m"}}]}"""));
    }

    [Fact]
    public async Task The_max_limit_request_ratio_is_at_least_one_and_within_max_over_min()
    {
        Assert.Equal(
            ["spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"500m\": ratio 500m is less than 1"],
            await RefusedAsync("""{"limits":[{"type":"Container","maxLimitRequestRatio":{"cpu":"0.5"}}]}"""));

        Assert.Equal(
            ["spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"4\": ratio 4 is greater than max/min = 3.333333"],
            await RefusedAsync("""{"limits":[{"type":"Pod","min":{"cpu":"300m"},"max":{"cpu":"1"},"maxLimitRequestRatio":{"cpu":"4"}}]}"""));

        Assert.Equal(
            ["spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: \"3500m\": ratio 3500m is greater than max/min = 3.000000"],
            await RefusedAsync("""
                {"limits":[{"type":"Pod","min":{"memory":"1Gi"},"max":{"memory":"3Gi"},"maxLimitRequestRatio":{"memory":"3.5"}}]}
                """));

        // Exactly max/min is allowed, and a zero min leaves the ratio unbounded.
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync("ratio", """
            {"limits":[{"type":"Pod","min":{"memory":"1Gi","cpu":"0"},"max":{"memory":"3Gi","cpu":"1"},"maxLimitRequestRatio":{"memory":"3","cpu":"100"}}]}
            """)).StatusCode);
    }

    [Fact]
    public async Task Resources_that_may_not_be_overcommitted_default_their_request_to_their_limit()
    {
        Assert.Equal(
            Sorted(
                "spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: \"1\": default value 2 must equal to defaultRequest value 1 in example.com/gpu",
                "spec.limits[0].defaultRequest[hugepages-2Mi]: Invalid value: \"2Mi\": default value 4Mi must equal to defaultRequest value 2Mi in hugepages-2Mi"),
            Sorted(await RefusedAsync("""
                {"limits":[{"type":"Container","default":{"example.com/gpu":"2","hugepages-2Mi":"4Mi","cpu":"2"},
                            "defaultRequest":{"example.com/gpu":"1","hugepages-2Mi":"2Mi","cpu":"1"}}]}
                """)));
    }

    [Fact]
    public async Task An_update_that_breaks_the_rules_is_refused()
    {
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync("lr",
            """{"limits":[{"type":"Pod","min":{"cpu":"100m"},"max":{"cpu":"1"}}]}""")).StatusCode);

        var content = new StringContent("""{"spec":{"limits":[{"type":"Pod","min":{"cpu":"2"},"max":{"cpu":"1"}}]}}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        var changed = await _http.PatchAsync($"{LimitRanges}/lr", content);
        var body = await changed.Content.ReadAsStringAsync();
        Assert.True(changed.StatusCode == (HttpStatusCode)422, body);
        Assert.Equal(
            "LimitRange \"lr\" is invalid: spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
            JsonNode.Parse(body)!["message"]!.GetValue<string>());

        var stored = JsonNode.Parse(await _http.GetStringAsync($"{LimitRanges}/lr"))!;
        Assert.Equal("100m", stored["spec"]!["limits"]![0]!["min"]!["cpu"]!.GetValue<string>());
    }

    private static List<string> Sorted(params IEnumerable<string> causes) => [.. causes.Order(StringComparer.Ordinal)];

    private static List<string> Causes(JsonNode status) =>
        [.. status["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}")];

    private Task<HttpResponseMessage> CreateAsync(string name, string spec) =>
        _http.PostAsync(LimitRanges, new StringContent(
            $$"""{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"{{name}}"},"spec":{{spec}}}""", Encoding.UTF8, "application/json"));

    private async Task<List<string>> RefusedAsync(string spec)
    {
        var response = await CreateAsync("x", spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (HttpStatusCode)422, body);
        return Causes(JsonNode.Parse(body)!);
    }
}
