using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>ResourceQuota objects are validated as Kubernetes 1.32's ValidateResourceQuota does.</summary>
public sealed class ResourceQuotaValidationTests : IAsyncLifetime
{
    private const string Quotas = "/api/v1/namespaces/default/resourcequotas";

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
    public async Task Hard_limits_must_name_quota_resources_with_non_negative_and_for_counts_whole_values()
    {
        var causes = await RefusedAsync("""{"hard":{"foo":"1","storage":"1Gi","pods":"1.5","cpu":"-1"}}""");

        Assert.Equal(
            [
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource for quota",
                "spec.hard[storage]: Invalid value: \"storage\": must be a standard resource for quota",
                "spec.hard[pods]: Invalid value: \"1.5\": must be an integer",
                "spec.hard[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
            ],
            causes);

        // Qualified names are the quota's business: object counts, extended resources, hugepages.
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync("ok",
            """{"hard":{"count/deployments.apps":"2","requests.nvidia.com/gpu":"4","hugepages-2Mi":"1Gi","services.loadbalancers":"0"}}""")).StatusCode);
    }

    [Fact]
    public async Task Scopes_must_be_known_suit_the_limited_resources_not_conflict_and_never_change()
    {
        Assert.Equal(
            [
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\", \"Sometimes\"}: unsupported scope applied to resource",
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\", \"Sometimes\"}: unsupported scope",
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\", \"Sometimes\"}: conflicting scopes",
            ],
            await RefusedAsync("""{"hard":{"cpu":"1"},"scopes":["BestEffort","NotBestEffort","Sometimes"]}"""));

        Assert.Equal(
            [
                "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, "
                + "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
            ],
            await RefusedAsync("""{"hard":{"pods":"1"},"scopeSelector":{"matchExpressions":[{"scopeName":"Terminating","operator":"In"}]}}"""));

        Assert.Equal(HttpStatusCode.Created, (await CreateAsync("scoped", """{"hard":{"pods":"2"},"scopes":["BestEffort"]}""")).StatusCode);
        var content = new StringContent("""{"spec":{"scopes":["NotBestEffort"]}}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        var changed = await _http.PatchAsync($"{Quotas}/scoped", content);
        Assert.Equal((HttpStatusCode)422, changed.StatusCode);
        Assert.Equal(
            "ResourceQuota \"scoped\" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{\"NotBestEffort\"}: field is immutable",
            JsonNode.Parse(await changed.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> CreateAsync(string name, string spec) =>
        _http.PostAsync(Quotas, new StringContent(
            $$"""{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"{{name}}"},"spec":{{spec}}}""", Encoding.UTF8, "application/json"));

    private async Task<List<string>> RefusedAsync(string spec)
    {
        var response = await CreateAsync("q", spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (HttpStatusCode)422, body);
        return [.. JsonNode.Parse(body)!["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}")];
    }
}
