using k8s;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>
/// Start-up of the webhook as the `run` command does it: certificate from <see cref="WebhookOptions.CertDirectory"/> or
/// generated (then the CA bundle is patched into the webhook configuration), handler with API-server-backed context,
/// Kestrel on the webhook port. Returns null when ENABLE_WEBHOOKS is off.
/// </summary>
public static class WebhookHost
{
    public static async Task<WebhookServer?> StartAsync(WebhookOptions options, IKubernetes client, TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return null;
        }

        var logger = loggerFactory?.CreateLogger(typeof(WebhookHost).FullName!);
        // A certificate from the directory (cert-manager's Secret, or the user's) is re-read when it is renewed.
        var certificate = ReloadingCertificate.FromDirectory(options.CertDirectory, time, logger);
        if (certificate is null)
        {
            if (options.ServiceName is null || options.ConfigurationName is null)
            {
                throw new InvalidOperationException(
                    $"no tls.crt/tls.key in {options.CertDirectory}, and WEBHOOK_SERVICE_NAME/WEBHOOK_CONFIGURATION_NAME are not set, so no certificate can be generated");
            }

            var generated = WebhookCertificate.Generate(options.ServiceName, options.Namespace, time, options.CertificateIpAddresses);
            var patched = await CaBundlePatcher.PatchAsync(client, options.ConfigurationName, generated.CaPem!, cancellationToken);
            certificate = ReloadingCertificate.Fixed(generated.Serving);
            if (logger?.IsEnabled(LogLevel.Information) == true)
            {
                logger.LogInformation("Generated webhook certificate for {Service}.{Namespace}.svc; CA bundle written to {Count} webhooks of {Configuration}",
                    options.ServiceName, options.Namespace, patched, options.ConfigurationName);
            }
        }

        var handler = new AdmissionHandler(new KubernetesAdmissionContextProvider(client), options.SkipValidations);
        return await WebhookServer.StartAsync(handler, certificate, options.ListenAddress, options.Port, loggerFactory, cancellationToken);
    }
}
