using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>Writes a generated CA into every webhook of our ValidatingWebhookConfiguration, so the API server trusts us.</summary>
public static class CaBundlePatcher
{
    /// <summary>Read-modify-replace, retried on write conflicts. Returns the number of webhooks updated.</summary>
    public static async Task<int> PatchAsync(IKubernetes client, string configurationName, string caPem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var bundle = Encoding.UTF8.GetBytes(caPem);
        for (var attempt = 1; ; attempt++)
        {
            var configuration = await client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(configurationName, cancellationToken: cancellationToken);
            var webhooks = configuration.Webhooks ?? [];
            if (webhooks.All(w => w.ClientConfig?.CaBundle is { } existing && existing.AsSpan().SequenceEqual(bundle)))
            {
                return webhooks.Count;
            }

            foreach (var webhook in webhooks)
            {
                webhook.ClientConfig ??= new k8s.Models.Admissionregistrationv1WebhookClientConfig();
                webhook.ClientConfig.CaBundle = bundle;
            }

            try
            {
                await client.AdmissionregistrationV1.ReplaceValidatingWebhookConfigurationAsync(configuration, configurationName, cancellationToken: cancellationToken);
                return webhooks.Count;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // Someone else (helm upgrade, another replica) wrote in between: read again.
            }
        }
    }
}
