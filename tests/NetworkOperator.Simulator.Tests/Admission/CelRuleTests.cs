using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Tests.Support;

namespace NetworkOperator.Simulator.Tests.Admission;

/// <summary>
/// CRD validation rules (x-kubernetes-validations): the chart's NicClusterPolicy CRD makes the firmware storage size
/// and class immutable with `self == oldSelf`, which the server enforces on update like the real one.
/// </summary>
public sealed class CelRuleTests : IAsyncLifetime
{
    private const string Group = "mellanox.com";
    private const string Version = "v1alpha1";
    private const string Plural = "nicclusterpolicies";
    private const string SizePath = "spec.nicConfigurationOperator.nicFirmwareStorage.availableStorageSize";
    private const string SizeMessage = "availableStorageSize is immutable; delete and recreate nicFirmwareStorage to change it";

    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(
            await File.ReadAllTextAsync(RepositoryFiles.ChartCrd("mellanox.com_nicclusterpolicies.yaml")));
        await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Changing_an_immutable_field_is_422_with_the_field_path_and_the_rules_message()
    {
        await CreatePolicyAsync("1Gi", "fast");
        var policy = await GetPolicyAsync();
        Storage(policy)["availableStorageSize"] = "2Gi";

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.ReplaceClusterCustomObjectAsync(policy, Group, Version, Plural, "nic-cluster-policy"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal(SizePath, cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal($"Invalid value: \"string\": {SizeMessage}", cause["message"]!.GetValue<string>());
        Assert.Equal($"NicClusterPolicy.mellanox.com \"nic-cluster-policy\" is invalid: {SizePath}: Invalid value: \"string\": {SizeMessage}",
            status["message"]!.GetValue<string>());
        Assert.Equal("1Gi", Storage(await GetPolicyAsync())["availableStorageSize"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_merge_patch_of_both_immutable_fields_names_both()
    {
        await CreatePolicyAsync("1Gi", "fast");
        var patch = new V1Patch(
            """{"spec":{"nicConfigurationOperator":{"nicFirmwareStorage":{"availableStorageSize":"5Gi","storageClassName":"slow"}}}}""",
            V1Patch.PatchType.MergePatch);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.PatchClusterCustomObjectAsync(patch, Group, Version, Plural, "nic-cluster-policy"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var fields = JsonNode.Parse(error.Response.Content)!["details"]!["causes"]!.AsArray()
            .Select(c => c!["field"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([SizePath, "spec.nicConfigurationOperator.nicFirmwareStorage.storageClassName"], fields);
    }

    [Fact]
    public async Task Unrelated_changes_and_status_writes_are_accepted_and_any_value_on_create()
    {
        await CreatePolicyAsync("7Mi", "fast");
        var policy = await GetPolicyAsync();
        policy["spec"]!["nicConfigurationOperator"]!["logLevel"] = "debug";
        var updated = await ReplaceAsync(policy);
        Assert.Equal("debug", updated["spec"]!["nicConfigurationOperator"]!["logLevel"]!.GetValue<string>());
        Assert.Equal("7Mi", Storage(updated)["availableStorageSize"]!.GetValue<string>());

        updated["status"] = new JsonObject { ["state"] = "ready" };
        var withStatus = JsonNode.Parse(KubernetesJson.Serialize(await _client.CustomObjects.ReplaceClusterCustomObjectStatusAsync(
            updated, Group, Version, Plural, "nic-cluster-policy")))!;
        Assert.Equal("ready", withStatus["status"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Adding_storage_to_a_policy_without_it_is_not_a_transition()
    {
        await _client.CustomObjects.CreateClusterCustomObjectAsync(Policy(storage: null), Group, Version, Plural);
        var policy = await GetPolicyAsync();
        policy["spec"]!["nicConfigurationOperator"]!["nicFirmwareStorage"] = new JsonObject { ["availableStorageSize"] = "3Gi" };

        var updated = await ReplaceAsync(policy);

        Assert.Equal("3Gi", Storage(updated)["availableStorageSize"]!.GetValue<string>());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_apply_of_a_changed_size_prints_the_invalid_value_and_the_message()
    {
        using var kubectl = new Support.Kubectl(_server);
        (await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("policy.yaml", PolicyYaml("1Gi")))).EnsureSuccess();

        var result = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("changed.yaml", PolicyYaml("2Gi")));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            $"The NicClusterPolicy \"nic-cluster-policy\" is invalid: {SizePath}: Invalid value: \"string\": {SizeMessage}",
            result.Stderr, StringComparison.Ordinal);
        Assert.Equal("1Gi", Storage(await GetPolicyAsync())["availableStorageSize"]!.GetValue<string>());
    }

    private static JsonObject Storage(JsonNode policy) =>
        policy["spec"]!["nicConfigurationOperator"]!["nicFirmwareStorage"]!.AsObject();

    private async Task CreatePolicyAsync(string size, string storageClass) =>
        await _client.CustomObjects.CreateClusterCustomObjectAsync(
            Policy(new JsonObject { ["availableStorageSize"] = size, ["storageClassName"] = storageClass }), Group, Version, Plural);

    private async Task<JsonNode> GetPolicyAsync() => JsonNode.Parse(KubernetesJson.Serialize(
        await _client.CustomObjects.GetClusterCustomObjectAsync(Group, Version, Plural, "nic-cluster-policy")))!;

    private async Task<JsonNode> ReplaceAsync(JsonNode policy) => JsonNode.Parse(KubernetesJson.Serialize(
        await _client.CustomObjects.ReplaceClusterCustomObjectAsync(policy, Group, Version, Plural, "nic-cluster-policy")))!;

    private static JsonObject Policy(JsonObject? storage)
    {
        var nicConfiguration = new JsonObject
        {
            ["operator"] = new JsonObject { ["image"] = "nic-configuration-operator", ["repository"] = "ghcr.io/mellanox", ["version"] = "v1.0.0" },
            ["configurationDaemon"] = new JsonObject { ["image"] = "nic-configuration-operator-daemon", ["repository"] = "ghcr.io/mellanox", ["version"] = "v1.0.0" },
        };
        if (storage is not null)
        {
            nicConfiguration["nicFirmwareStorage"] = storage;
        }

        return new JsonObject
        {
            ["apiVersion"] = "mellanox.com/v1alpha1",
            ["kind"] = "NicClusterPolicy",
            ["metadata"] = new JsonObject { ["name"] = "nic-cluster-policy" },
            ["spec"] = new JsonObject { ["nicConfigurationOperator"] = nicConfiguration },
        };
    }

    private static string PolicyYaml(string size) => $"""
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          nicConfigurationOperator:
            operator:
              image: nic-configuration-operator
              repository: ghcr.io/mellanox
              version: v1.0.0
            configurationDaemon:
              image: nic-configuration-operator-daemon
              repository: ghcr.io/mellanox
              version: v1.0.0
            nicFirmwareStorage:
              availableStorageSize: {size}
              storageClassName: fast
        """;
}
