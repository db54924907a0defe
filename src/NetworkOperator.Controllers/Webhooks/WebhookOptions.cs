using System.Collections;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>Webhook settings from the environment the Helm chart sets (docs/install.md, "Operator command line").</summary>
public sealed record WebhookOptions
{
    public const string DefaultCertDirectory = "/tmp/k8s-webhook-server/serving-certs";

    /// <summary>ENABLE_WEBHOOKS=true.</summary>
    public bool Enabled { get; init; }

    /// <summary>SKIP_VALIDATIONS=true: endpoints stay, everything is accepted.</summary>
    public bool SkipValidations { get; init; }

    /// <summary>WEBHOOK_PORT (9443).</summary>
    public int Port { get; init; } = 9443;

    /// <summary>Address to listen on; all interfaces in a pod, loopback in tests.</summary>
    public System.Net.IPAddress ListenAddress { get; init; } = System.Net.IPAddress.Any;

    /// <summary>WEBHOOK_CERT_DIR: tls.crt/tls.key from cert-manager or the user; generated when absent.</summary>
    public string CertDirectory { get; init; } = DefaultCertDirectory;

    /// <summary>WEBHOOK_SERVICE_NAME: the generated certificate is issued for this Service.</summary>
    public string? ServiceName { get; init; }

    /// <summary>WEBHOOK_CONFIGURATION_NAME: where a generated CA bundle is patched in.</summary>
    public string? ConfigurationName { get; init; }

    /// <summary>IP SANs added to a generated certificate (when the API server reaches the webhook by address).</summary>
    public IReadOnlyList<System.Net.IPAddress> CertificateIpAddresses { get; init; } = [];

    /// <summary>POD_NAMESPACE.</summary>
    public string Namespace { get; init; } = "nvidia-network-operator";

    public static WebhookOptions FromEnvironment(IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        string? Get(string key) => environment[key] as string is { Length: > 0 } v ? v : null;
        static bool IsTrue(string? v) => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
        var port = Get("WEBHOOK_PORT");
        return new WebhookOptions
        {
            Enabled = IsTrue(Get("ENABLE_WEBHOOKS")),
            SkipValidations = IsTrue(Get("SKIP_VALIDATIONS")),
            Port = port is null ? 9443 : int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
            CertDirectory = Get("WEBHOOK_CERT_DIR") ?? DefaultCertDirectory,
            ServiceName = Get("WEBHOOK_SERVICE_NAME"),
            ConfigurationName = Get("WEBHOOK_CONFIGURATION_NAME"),
            Namespace = Get("POD_NAMESPACE") ?? "nvidia-network-operator",
        };
    }
}
