using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// Components land in a namespace whose Pod Security level refuses their pods: the simulated DaemonSet controller
/// records FailedCreate Events (as the real one does) and the operator names Pod Security in the component's state
/// instead of waiting silently; once the namespace allows privileged pods, the same policy becomes ready.
/// </summary>
public sealed class PodSecurityTests
{
    [Fact]
    public async Task Components_refused_by_a_restricted_namespace_name_Pod_Security_in_the_policy_status()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await SetEnforceAsync(fx, "restricted");
        await fx.StartOperatorAsync();
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync(OperatorFixture.MultusOnlyPolicy);

        JsonObject? multus = null;
        await Eventually.TrueAsync(async () =>
        {
            multus = AppliedState(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName), StateNames.MultusCni);
            return multus?["message"]?.GetValue<string>().Contains("Pod Security", StringComparison.Ordinal) == true;
        }, "the multus state names Pod Security", Eventually.LongTimeout);

        Assert.Equal("notReady", multus!["state"]!.GetValue<string>());
        var message = multus["message"]!.GetValue<string>();
        Assert.Contains("kube-multus-ds", message, StringComparison.Ordinal);
        // The admission plugin's own words, so the user sees which checks failed.
        Assert.Contains("violates PodSecurity \"restricted:latest\"", message, StringComparison.Ordinal);
        Assert.Contains("privileged", message, StringComparison.Ordinal);
        var policy = await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName);
        Assert.Equal("notReady", policy!["status"]!["state"]!.GetValue<string>());

        // The level the components need: the DaemonSet controller retries, the pods start, and the reason goes away.
        await SetEnforceAsync(fx, "privileged");
        await Eventually.TrueAsync(async () =>
            (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]?.GetValue<string>() == "ready",
            "ready once the namespace allows privileged pods", Eventually.LongTimeout);
    }

    private static JsonObject? AppliedState(JsonObject? policy, string name) =>
        (policy?["status"]?["appliedStates"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(s => s["name"]?.GetValue<string>() == name);

    private static async Task SetEnforceAsync(OperatorFixture fx, string level)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["pod-security.kubernetes.io/enforce"] = level } },
        };
        await fx.Client.CoreV1.PatchNamespaceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), OperatorFixture.Namespace);
    }
}
