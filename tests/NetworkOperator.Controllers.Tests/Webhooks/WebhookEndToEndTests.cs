using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Api.Crds;
using NetworkOperator.Controllers.Webhooks;
using NetworkOperator.Simulator;

namespace NetworkOperator.Controllers.Tests.Webhooks;

/// <summary>
/// The webhook as the operator starts it (generated certificate, CA bundle patched in, Kestrel over HTTPS) behind the
/// embedded API server, which calls it for our CRDs exactly as a real API server would.
/// </summary>
public class WebhookEndToEndTests
{
    private const string Namespace = "nvidia-network-operator";
    private const string ServiceName = "network-operator-webhook-service";
    private const string ConfigurationName = "network-operator-validating-webhook";

    [Fact]
    public async Task An_invalid_policy_created_through_the_api_server_is_rejected_with_the_webhooks_field_path()
    {
        var webhookPort = 0;
        await using var apiServer = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions
        {
            WebhookServiceResolver = (ns, name, _, path) =>
                ns == Namespace && name == ServiceName ? new Uri($"https://127.0.0.1:{webhookPort}{path}") : null,
        });
        using var client = apiServer.CreateClient();
        foreach (var crd in CrdCatalog.All)
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }

        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(WebhookConfiguration());

        await using var webhook = await WebhookHost.StartAsync(new WebhookOptions
        {
            Enabled = true,
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            CertDirectory = Path.Combine(Path.GetTempPath(), $"no-certs-{Guid.NewGuid():N}"),
            ServiceName = ServiceName,
            ConfigurationName = ConfigurationName,
            Namespace = Namespace,
            CertificateIpAddresses = [IPAddress.Loopback],
        }, client);
        Assert.NotNull(webhook);
        webhookPort = webhook.Port;

        // The generated CA was patched into every webhook.
        var patched = await client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(ConfigurationName);
        Assert.All(patched.Webhooks, w => Assert.StartsWith("-----BEGIN CERTIFICATE-----", System.Text.Encoding.UTF8.GetString(w.ClientConfig.CaBundle), StringComparison.Ordinal));

        var invalid = JsonSerializer.Deserialize<JsonElement>(AdmissionReviews.PolicyWithBadDriverVersion);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.CreateClusterCustomObjectAsync(invalid, "mellanox.com", "v1alpha1", "nicclusterpolicies"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("vnicclusterpolicy.kb.io", error.Response.Content, StringComparison.Ordinal);
        Assert.Contains("spec.ofedDriver.version", error.Response.Content, StringComparison.Ordinal);

        var valid = JsonSerializer.Deserialize<JsonElement>(AdmissionReviews.ValidPolicy);
        await client.CustomObjects.CreateClusterCustomObjectAsync(valid, "mellanox.com", "v1alpha1", "nicclusterpolicies");
        var stored = await client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");
        Assert.NotNull(stored);
    }

    private static V1ValidatingWebhookConfiguration WebhookConfiguration() => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingWebhookConfiguration",
        Metadata = new V1ObjectMeta { Name = ConfigurationName },
        Webhooks = WebhookPaths.ByWebhookName.Select(w => new V1ValidatingWebhook
        {
            Name = w.Key,
            AdmissionReviewVersions = ["v1"],
            SideEffects = "None",
            FailurePolicy = "Fail",
            ClientConfig = new Admissionregistrationv1WebhookClientConfig
            {
                Service = new Admissionregistrationv1ServiceReference { Name = ServiceName, NamespaceProperty = Namespace, Path = w.Value, Port = 443 },
            },
            Rules =
            [
                new V1RuleWithOperations
                {
                    ApiGroups = ["mellanox.com"],
                    ApiVersions = ["v1alpha1"],
                    Operations = ["CREATE", "UPDATE"],
                    Resources = [WebhookPaths.Kinds[w.Value].Plural],
                },
            ],
        }).ToList(),
    };
}
