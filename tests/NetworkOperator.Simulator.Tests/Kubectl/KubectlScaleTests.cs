using System.Net;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Tests.Support;
using NetworkOperator.Tests.Shared;
using static NetworkOperator.Simulator.Tests.Support.StatusRequests;

namespace NetworkOperator.Simulator.Tests.Kubectl;

/// <summary>
/// The <c>/scale</c> subresource as kubectl and autoscalers use it: discovery names it (autoscaling/v1 Scale), reads
/// show the object as a Scale, writes change only the desired replicas through the parent's own update path.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KubectlScaleTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Support.Kubectl _kubectl = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _kubectl = new Support.Kubectl(_server);
        _http = _server.CreateHttpClient(timeout: TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Kubectl_scale_changes_the_desired_replicas_of_workloads_with_preconditions()
    {
        (await _kubectl.RunAsync("create", "deployment", "web", "--image", "nginx", "--replicas", "2")).EnsureSuccess();
        var file = _kubectl.WriteFile("workloads.yaml", """
            apiVersion: v1
            kind: ReplicationController
            metadata:
              name: legacy
            spec:
              replicas: 1
              selector: {app: legacy, tier: web}
              template:
                metadata:
                  labels: {app: legacy, tier: web}
                spec:
                  containers: [{name: c, image: nginx}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
            spec:
              selector:
                matchLabels: {app: db}
                matchExpressions: [{key: tier, operator: In, values: [store, cache]}]
              template:
                metadata:
                  labels: {app: db, tier: store}
                spec:
                  containers: [{name: c, image: postgres}]
            """);
        (await _kubectl.RunAsync("create", "-f", file)).EnsureSuccess();

        Assert.Contains("deployment.apps/web scaled", (await _kubectl.RunAsync("scale", "deployment/web", "--replicas", "4")).EnsureSuccess().Stdout);
        (await _kubectl.RunAsync("scale", "rc/legacy", "--replicas", "0")).EnsureSuccess();
        (await _kubectl.RunAsync("scale", "statefulset/db", "--replicas", "3")).EnsureSuccess();

        var deployment = await GetAsync("/apis/apps/v1/namespaces/default/deployments/web");
        Assert.Equal(4, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, deployment["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(0, (await GetAsync("/api/v1/namespaces/default/replicationcontrollers/legacy"))["spec"]!["replicas"]!.GetValue<int>());

        // The Scale view: the object's identity, desired replicas (omitted at 0), current replicas and selector text.
        var scale = await GetAsync("/apis/apps/v1/namespaces/default/deployments/web/scale");
        Assert.Equal(("autoscaling/v1", "Scale"), (scale["apiVersion"]!.GetValue<string>(), scale["kind"]!.GetValue<string>()));
        Assert.Equal(deployment["metadata"]!["uid"]!.GetValue<string>(), scale["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(deployment["metadata"]!["resourceVersion"]!.GetValue<string>(), scale["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("""{"replicas":4}""", scale["spec"]!.ToJsonString());
        Assert.Equal("""{"replicas":0,"selector":"app=web"}""", scale["status"]!.ToJsonString());
        Assert.Equal("""{}""", (await GetAsync("/api/v1/namespaces/default/replicationcontrollers/legacy/scale"))["spec"]!.ToJsonString());
        Assert.Equal("app=legacy,tier=web",
            (await GetAsync("/api/v1/namespaces/default/replicationcontrollers/legacy/scale"))["status"]!["selector"]!.GetValue<string>());
        Assert.Equal("app=db,tier in (cache,store)",
            (await GetAsync("/apis/apps/v1/namespaces/default/statefulsets/db/scale"))["status"]!["selector"]!.GetValue<string>());

        // --current-replicas reads the Scale and writes it back with its resourceVersion.
        var stale = await _kubectl.RunAsync("scale", "deployment/web", "--current-replicas", "3", "--replicas", "1");
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Contains("Expected replicas to be 3, was 4", stale.Stderr, StringComparison.Ordinal);
        (await _kubectl.RunAsync("scale", "deployment/web", "--current-replicas", "4", "--replicas", "1")).EnsureSuccess();

        var table = (await _kubectl.RunAsync("get", "deployment", "web", "--subresource", "scale")).EnsureSuccess();
        Assert.Matches(@"NAME\s+DESIRED\s+AVAILABLE\s+AGE\nweb\s+1\s+0\s+", table.Stdout);

        var resources = (await _kubectl.RunAsync("get", "--raw", "/apis/apps/v1")).EnsureSuccess();
        var entry = JsonNode.Parse(resources.Stdout)!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "deployments/scale")!;
        Assert.Equal(("autoscaling", "v1", "Scale"),
            (entry["group"]!.GetValue<string>(), entry["version"]!.GetValue<string>(), entry["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Scale_writes_are_validated_and_preconditioned_as_the_registries_do()
    {
        (await _kubectl.RunAsync("create", "deployment", "web", "--image", "nginx")).EnsureSuccess();
        const string Path = "/apis/apps/v1/namespaces/default/deployments/web/scale";
        var scale = await GetAsync(Path);
        var uid = scale["metadata"]!["uid"]!.GetValue<string>();

        await AssertStatusAsync(await PatchAsync(Path, """{"spec":{"replicas":-1}}"""), 422, "Invalid",
            "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        await AssertStatusAsync(await PatchAsync(Path, """{"metadata":{"uid":"00000000-0000-0000-0000-000000000001"}}"""), 409, "Conflict",
            $"Operation cannot be fulfilled on deployments/scale.apps \"web\": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000001, UID in object meta: {uid}");
        await AssertStatusAsync(await PatchAsync(Path, """{"metadata":{"resourceVersion":"1"}}"""), 409, "Conflict",
            "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again");
        await AssertStatusAsync(await _http.PutAsync(Path, Json("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"other"},"spec":{"replicas":2}}""")),
            400, "BadRequest", "the name of the object (other) does not match the name on the URL (web)");
        await AssertStatusAsync(await _http.PutAsync(Path, Json("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}""")),
            400, "BadRequest", "the kind in the data (Deployment) does not match the expected kind (Scale)");
        await AssertStatusAsync(await _http.PostAsync(Path, Json("""{"metadata":{"name":"web"}}""")),
            405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        await AssertStatusAsync(await _http.GetAsync("/api/v1/namespaces/default/configmaps/x/scale"), 404, "NotFound",
            "the server could not find the requested resource");

        // A PUT without resourceVersion is unconditional, and an empty spec means zero replicas.
        var put = await _http.PutAsync(Path, Json("""{"metadata":{"name":"web"},"spec":{}}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var written = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;
        Assert.Equal("""{}""", written["spec"]!.ToJsonString());
        Assert.Equal(0, (await GetAsync("/apis/apps/v1/namespaces/default/deployments/web"))["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Custom_resources_scale_through_the_paths_their_definition_names()
    {
        var crd = _kubectl.WriteFile("crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: pools.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: pools, singular: pool, kind: Pool}
              versions:
                - name: v1
                  served: true
                  storage: true
                  subresources:
                    status: {}
                    scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.ready, labelSelectorPath: .status.selector}
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          properties:
                            size: {type: integer, maximum: 10}
                        status:
                          type: object
                          properties:
                            ready: {type: integer}
                            selector: {type: string}
            """);
        (await _kubectl.RunAsync("apply", "-f", crd)).EnsureSuccess();
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync("get", "pools")).ExitCode == 0, "the CRD is served");
        var pools = _kubectl.WriteFile("pools.yaml", """
            apiVersion: example.com/v1
            kind: Pool
            metadata: {name: sized}
            spec: {size: 1}
            ---
            apiVersion: example.com/v1
            kind: Pool
            metadata: {name: unsized}
            spec: {}
            """);
        (await _kubectl.RunAsync("create", "-f", pools)).EnsureSuccess();

        (await _kubectl.RunAsync("scale", "pool/sized", "--replicas", "3")).EnsureSuccess();
        Assert.Equal(3, (await GetAsync("/apis/example.com/v1/namespaces/default/pools/sized"))["spec"]!["size"]!.GetValue<int>());

        // The parent's schema still applies to what a Scale write makes of it.
        var tooMany = await _kubectl.RunAsync("scale", "pool/sized", "--replicas", "11");
        Assert.NotEqual(0, tooMany.ExitCode);
        Assert.Contains("spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10", tooMany.Stderr, StringComparison.Ordinal);

        // Without the replicas field a read is the CRD handler's internal error and a write without replicas a 400.
        await AssertStatusAsync(await _http.GetAsync("/apis/example.com/v1/namespaces/default/pools/unsized/scale"), 500, "InternalError",
            "Internal error occurred: the spec replicas field \".spec.size\" does not exist");
        await AssertStatusAsync(await PatchAsync("/apis/example.com/v1/namespaces/default/pools/unsized/scale", """{"metadata":{"labels":{"a":"b"}}}"""),
            400, "BadRequest", "the spec replicas field \".spec.size\" cannot be empty");
        Assert.Equal(HttpStatusCode.OK,
            (await PatchAsync("/apis/example.com/v1/namespaces/default/pools/unsized/scale", """{"spec":{"replicas":2}}""")).StatusCode);
        await AssertStatusAsync(await _http.PostAsync("/apis/example.com/v1/namespaces/default/pools/sized/scale", Json("{}")),
            405, "MethodNotAllowed", "create is not supported on resources of kind \"pools.example.com\"");

        // Paths outside spec and status are refused with the definition.
        var bad = _kubectl.WriteFile("bad-crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: things.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: things, kind: Thing}
              versions:
                - name: v1
                  served: true
                  storage: true
                  subresources:
                    scale: {specReplicasPath: .replicas, statusReplicasPath: "", labelSelectorPath: .metadata.labels}
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """);
        var refused = await _kubectl.RunAsync("apply", "-f", bad);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".replicas\": should be a json path under .spec",
            refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.versions[0].subresources.scale.statusReplicasPath: Required value", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: \".metadata.labels\": should be a json path under either .spec or .status",
            refused.Stderr, StringComparison.Ordinal);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private Task<HttpResponseMessage> PatchAsync(string path, string body) => _http.MergePatchAsync(path, body);
}
