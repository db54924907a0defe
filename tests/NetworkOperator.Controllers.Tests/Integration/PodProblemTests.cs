using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// Pods a component's DaemonSet created that cannot start: the component's state carries the kubelet's own Warning
/// (the pod, its node, the reason and message) instead of only "pods not yet available", and the reason goes once the
/// cause is fixed.
/// </summary>
public sealed class PodProblemTests
{
    private const string TelemetryPolicy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          docaTelemetryService:
            image: doca_telemetry
            repository: nvcr.io/nvidia/doca
            version: 1.22.5-doca3.1.0-host
            config:
              fromConfigMap: my-dts-config
        """;

    [Fact]
    public async Task A_ConfigMap_the_pods_mount_that_does_not_exist_is_named_in_the_state()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync(TelemetryPolicy);

        var message = await Eventually.ValueAsync(async () =>
            StateMessage(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName), StateNames.DocaTelemetryService) is { } m &&
            m.Contains("FailedMount", StringComparison.Ordinal) ? m : null, "the telemetry state names the missing ConfigMap", Eventually.LongTimeout);
        Assert.Matches("^DaemonSet doca-telemetry-service: pods not yet available on every node; pod doca-telemetry-service-[a-z0-9]{5} on worker-1: " +
            "FailedMount: MountVolume.SetUp failed for volume \"doca-telemetry-service-configmap\" : configmap \"my-dts-config\" not found$", message);

        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "my-dts-config" },
            Data = new Dictionary<string, string> { ["dts_config_map.ini"] = "update=1000\n" },
        }, OperatorFixture.Namespace);
        await Eventually.TrueAsync(async () =>
            (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]?.GetValue<string>() == "ready",
            "ready once the ConfigMap exists", Eventually.LongTimeout);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_is_named_by_the_pull_failure_not_its_back_off()
    {
        await using var fx = await OperatorFixture.StartAsync();
        fx.Cluster.AddUnpullableImage("multus-cni:v4.1.0");
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync(OperatorFixture.MultusOnlyPolicy);

        var message = await Eventually.ValueAsync(async () =>
            StateMessage(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName), StateNames.MultusCni) is { } m &&
            m.Contains("; pod ", StringComparison.Ordinal) ? m : null, "the multus state names the pull failure", Eventually.LongTimeout);
        Assert.Contains("Failed: Failed to pull image \"ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0\"", message, StringComparison.Ordinal);
        Assert.Contains(": not found", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ResourceQuota_that_refuses_the_pods_is_quoted_and_a_larger_one_lets_them_start()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await CreateQuotaAsync(fx, "pods", "pods", "1");
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.AddNodeAsync(TestNodes.Joined("worker-2"));
        await fx.ApplyYamlAsync(OperatorFixture.MultusOnlyPolicy);

        var message = await Eventually.ValueAsync(async () =>
            StateMessage(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName), StateNames.MultusCni) is { } m &&
            m.Contains("exceeded quota", StringComparison.Ordinal) ? m : null, "the multus state quotes the quota", Eventually.LongTimeout);
        Assert.Contains("kube-multus-ds", message, StringComparison.Ordinal);
        Assert.Contains("exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1", message, StringComparison.Ordinal);

        await fx.Client.CoreV1.PatchNamespacedResourceQuotaAsync(
            new V1Patch("""{"spec":{"hard":{"pods":"10"}}}""", V1Patch.PatchType.MergePatch), "pods", OperatorFixture.Namespace);
        await Eventually.TrueAsync(async () =>
            (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]?.GetValue<string>() == "ready",
            "ready once the quota allows every pod", Eventually.LongTimeout);
    }

    [Fact]
    public async Task A_Deployment_whose_pods_are_refused_quotes_its_ReplicaFailure()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await CreateQuotaAsync(fx, "no-pods", "count/pods", "0");
        await fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await fx.ApplyYamlAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ibKubernetes: {image: ib-kubernetes, repository: ghcr.io/mellanox, version: v1.1.0, ufmSecret: ufm-secret, pKeyGUIDPoolRangeStart: "02:00:00:00:00:00:00:00", pKeyGUIDPoolRangeEnd: "02:FF:FF:FF:FF:FF:FF:FF"}
            """);

        var message = await Eventually.ValueAsync(async () =>
            StateMessage(await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName), StateNames.IBKubernetes) is { } m &&
            m.Contains("cannot be created", StringComparison.Ordinal) ? m : null, "the ib-kubernetes state quotes the refusal", Eventually.LongTimeout);
        Assert.Matches("^Deployment ib-kubernetes: pods cannot be created: pods \"ib-kubernetes-[a-z0-9]+-[a-z0-9]{5}\" is forbidden: " +
            "exceeded quota: no-pods, requested: count/pods=1, used: count/pods=0, limited: count/pods=0$", message);
    }

    private static Task<V1ResourceQuota> CreateQuotaAsync(OperatorFixture fx, string name, string resource, string hard) =>
        fx.Client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { [resource] = new(hard) } },
        }, OperatorFixture.Namespace);

    private static string? StateMessage(JsonObject? policy, string name) =>
        (policy?["status"]?["appliedStates"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(s => s["name"]?.GetValue<string>() == name)?["message"]?.GetValue<string>();
}
