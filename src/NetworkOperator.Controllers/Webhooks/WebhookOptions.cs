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

    /// <summary>
    /// Address to listen on (WEBHOOK_BIND_ADDRESS or <c>run --webhook-bind-address</c>); all interfaces by default, as
    /// upstream, since the API server reaches the webhook through its Service.
    /// </summary>
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
        var (address, boundPort) = ParseBindAddress(Get("WEBHOOK_BIND_ADDRESS"), port is null ? 9443 : ParsePort(port));
        return new WebhookOptions
        {
            Enabled = IsTrue(Get("ENABLE_WEBHOOKS")),
            SkipValidations = IsTrue(Get("SKIP_VALIDATIONS")),
            Port = boundPort,
            ListenAddress = address,
            CertDirectory = Get("WEBHOOK_CERT_DIR") ?? DefaultCertDirectory,
            ServiceName = Get("WEBHOOK_SERVICE_NAME"),
            ConfigurationName = Get("WEBHOOK_CONFIGURATION_NAME"),
            Namespace = Get("POD_NAMESPACE") ?? "nvidia-network-operator",
        };
    }

    /// <summary>
    /// <c>host</c>, <c>host:port</c>, <c>:port</c> or <c>[v6]:port</c>; an empty host means every interface and a
    /// missing port is <paramref name="defaultPort"/>.
    /// </summary>
    /// <exception cref="FormatException">Not an IP address and port.</exception>
    public static (System.Net.IPAddress Address, int Port) ParseBindAddress(string? value, int defaultPort)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (System.Net.IPAddress.Any, defaultPort);
        }

        string host = value;
        var port = defaultPort;
        var colon = value.LastIndexOf(':');
        if (colon >= 0 && (value.StartsWith('[') ? value.IndexOf(']', StringComparison.Ordinal) < colon : value.IndexOf(':', StringComparison.Ordinal) == colon))
        {
            host = value[..colon];
            port = ParsePort(value[(colon + 1)..]);
        }

        host = host.Trim('[', ']');
        if (host.Length == 0)
        {
            return (System.Net.IPAddress.Any, port);
        }

        return System.Net.IPAddress.TryParse(host, out var address)
            ? (address, port)
            : throw new FormatException($"\"{value}\" is not an IP address with an optional port (e.g. 0.0.0.0:9443 or :9443)");
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new FormatException($"\"{text}\" is not a port number (0-65535)");
}
