using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Tests.Support;

namespace NetworkOperator.Simulator.Tests.Admission;

/// <summary>Validating admission webhooks called over HTTPS with the configured CA bundle.</summary>
public sealed class ValidatingWebhookTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Webhook_sees_matching_requests_and_its_denial_reaches_the_client()
    {
        await using var webhook = await WebhookServer.StartAsync(request =>
        {
            var name = request["name"]!.GetValue<string>();
            return name.StartsWith("bad", StringComparison.Ordinal)
                ? new JsonObject { ["allowed"] = false, ["status"] = new JsonObject { ["code"] = 403, ["message"] = "names starting with bad are refused" } }
                : new JsonObject { ["allowed"] = true };
        });
        await Register(webhook.Url, webhook.CaBundle, "Fail", operations: ["CREATE", "UPDATE"], resources: ["configmaps"]);

        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "good" } }, "default");
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bad-one" } }, "default"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
        Assert.Contains("admission webhook \\\"check.example.com\\\" denied the request: names starting with bad are refused", denied.Response.Content, StringComparison.Ordinal);

        // Secrets do not match the rules, so the webhook is not called for them.
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "bad-secret" } }, "default");
        lock (webhook.Reviews)
        {
            Assert.Equal(2, webhook.Reviews.Count);
            var request = webhook.Reviews[0]["request"]!;
            Assert.Equal("CREATE", request["operation"]!.GetValue<string>());
            Assert.Equal("configmaps", request["resource"]!["resource"]!.GetValue<string>());
            Assert.Equal("default", request["namespace"]!.GetValue<string>());
            Assert.Equal("good", request["object"]!["metadata"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_scale_write_is_reviewed_as_the_scale_it_is()
    {
        await using var webhook = await WebhookServer.StartAsync(request =>
            request["object"]!["spec"]!["replicas"]!.GetValue<int>() > 5
                ? new JsonObject { ["allowed"] = false, ["status"] = new JsonObject { ["code"] = 403, ["message"] = "at most 5" } }
                : new JsonObject { ["allowed"] = true });
        await Register(webhook.Url, webhook.CaBundle, "Fail", operations: ["UPDATE"], resources: ["replicationcontrollers/scale"]);
        var labels = new Dictionary<string, string> { ["app"] = "rc" };
        await _client.CoreV1.CreateNamespacedReplicationControllerAsync(new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "rc" },
            Spec = new V1ReplicationControllerSpec
            {
                Replicas = 1, Selector = labels,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
                },
            },
        }, "default");

        var scaled = await _client.CoreV1.PatchNamespacedReplicationControllerScaleAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "rc", "default");
        Assert.Equal(3, scaled.Spec.Replicas);
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.PatchNamespacedReplicationControllerScaleAsync(
            new V1Patch("""{"spec":{"replicas":6}}""", V1Patch.PatchType.MergePatch), "rc", "default"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
        // An update of the RC itself does not match the scale rule.
        var rc = await _client.CoreV1.ReadNamespacedReplicationControllerAsync("rc", "default");
        rc.Spec.Replicas = 7;
        await _client.CoreV1.ReplaceNamespacedReplicationControllerAsync(rc, "rc", "default");

        lock (webhook.Reviews)
        {
            Assert.Equal(2, webhook.Reviews.Count);
            var request = webhook.Reviews[0]["request"]!;
            Assert.Equal("""{"group":"autoscaling","version":"v1","kind":"Scale"}""", request["kind"]!.ToJsonString());
            Assert.Equal("""{"group":"","version":"v1","resource":"replicationcontrollers"}""", request["resource"]!.ToJsonString());
            Assert.Equal("scale", request["subResource"]!.GetValue<string>());
            Assert.Equal("Scale", request["object"]!["kind"]!.GetValue<string>());
            Assert.Equal(1, request["oldObject"]!["spec"]!["replicas"]!.GetValue<int>());
            Assert.Equal("app=rc", request["object"]!["status"]!["selector"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Unreachable_webhook_fails_closed_or_open_by_failure_policy()
    {
        var nowhere = new Uri("https://127.0.0.1:1/validate");
        await Register(nowhere, null, "Ignore", ["CREATE"], ["configmaps"]);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "passes" } }, "default");

        await _client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync("check");
        await Register(nowhere, null, "Fail", ["CREATE"], ["configmaps"]);
        var failed = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "blocked" } }, "default"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Response.StatusCode);
        Assert.Contains("failed calling webhook", failed.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_with_an_untrusted_certificate_or_too_slow_counts_as_a_failure()
    {
        await using var other = await WebhookServer.StartAsync(_ => new JsonObject { ["allowed"] = true });
        await using var webhook = await WebhookServer.StartAsync(_ => new JsonObject { ["allowed"] = true });
        await Register(webhook.Url, other.CaBundle, "Fail", ["CREATE"], ["configmaps"]);
        var untrusted = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "default"));
        Assert.Equal(HttpStatusCode.InternalServerError, untrusted.Response.StatusCode);
        Assert.Empty(webhook.Reviews);

        await _client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync("check");
        await using var slow = await WebhookServer.StartAsync(_ => new JsonObject { ["allowed"] = true }, delay: TimeSpan.FromSeconds(5));
        await Register(slow.Url, slow.CaBundle, "Fail", ["CREATE"], ["configmaps"], timeoutSeconds: 1);
        var timedOut = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "y" } }, "default"));
        Assert.Contains("context deadline exceeded", timedOut.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admissionregistration_v1_accepts_only_side_effect_free_webhooks_so_dry_run_reaches_them()
    {
        await using var webhook = await WebhookServer.StartAsync(_ => new JsonObject { ["allowed"] = true });
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Register(webhook.Url, webhook.CaBundle, "Fail", ["CREATE"], ["configmaps"], sideEffects: "Some"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        Assert.Contains("webhooks[0].sideEffects: Unsupported value: \\\"Some\\\": supported values: \\\"None\\\", \\\"NoneOnDryRun\\\"",
            refused.Response.Content, StringComparison.Ordinal);

        await Register(webhook.Url, webhook.CaBundle, "Fail", ["CREATE"], ["configmaps"], sideEffects: "NoneOnDryRun");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry" } }, "default", dryRun: "All");
        lock (webhook.Reviews)
        {
            Assert.Single(webhook.Reviews);
        }
    }

    private Task<V1ValidatingWebhookConfiguration> Register(Uri url, string? caBundle, string failurePolicy, string[] operations, string[] resources, int timeoutSeconds = 10,
        string sideEffects = "None") =>
        _client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "check" },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = "check.example.com",
                    AdmissionReviewVersions = ["v1"],
                    SideEffects = sideEffects,
                    FailurePolicy = failurePolicy,
                    TimeoutSeconds = timeoutSeconds,
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig
                    {
                        Url = url.ToString(),
                        CaBundle = caBundle is null ? null : Convert.FromBase64String(caBundle),
                    },
                    Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = operations, Resources = resources }],
                },
            ],
        });
}
