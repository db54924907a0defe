using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.OpenShift;

/// <summary>
/// What OpenShift's network operator does for ConfigMaps labelled <c>config.openshift.io/inject-trusted-cabundle=true</c>:
/// it writes the cluster's trusted CA bundle into their <c>ca-bundle.crt</c> key — the platform's own CA plus the
/// bundle of the ConfigMap the cluster Proxy names in <c>spec.trustedCA.name</c> (namespace openshift-config) — and
/// puts it back whenever someone changes it.
/// </summary>
internal sealed class TrustedCaInjector
{
    public const string Label = "config.openshift.io/inject-trusted-cabundle";
    public const string Key = "ca-bundle.crt";

    private readonly ClusterContext _context;
    private readonly Channel<(string? Namespace, string Name)> _queue = Channel.CreateUnbounded<(string?, string)>();
    private readonly string _platformCa;

    public TrustedCaInjector(ClusterContext context)
    {
        _context = context;
        _platformCa = PlatformCertificate(context.Time.GetUtcNow());
        context.ConfigMapInformer.OnChange((_, current) =>
        {
            if (current?.Metadata.Labels?.TryGetValue(Label, out var value) == true && value == "true")
            {
                _queue.Writer.TryWrite((current.Metadata.NamespaceProperty, current.Metadata.Name));
            }
        });
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (ns, name) in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await InjectAsync(ns, name, cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException e)
                {
                    // Deleted meanwhile, or a conflicting write: its next change event brings it back here.
                    _context.ReportError("trusted-ca-injector", $"{ns}/{name}", e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task InjectAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        // Judged on the ConfigMap as it is now: one that lost the label since it was queued is no longer injected into.
        var configMap = _context.ConfigMapInformer.Get(ns, name);
        if (configMap is null || configMap.Metadata.Labels?.TryGetValue(Label, out var value) != true || value != "true")
        {
            return;
        }

        var bundle = Bundle();
        if (configMap.Data?.TryGetValue(Key, out var current) == true && current == bundle)
        {
            return;
        }

        await _context.PatchAsync(_context.ConfigMaps, ns, name, new JsonObject { ["data"] = new JsonObject { [Key] = bundle } }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The platform CA, then the proxy's additional trusted CAs when the cluster Proxy names a ConfigMap.</summary>
    private string Bundle()
    {
        var bundle = new StringBuilder(_platformCa);
        var proxies = _context.Api.Registry.Find("config.openshift.io", "v1", "proxies");
        if (proxies is not null && _context.Api.TryGet(proxies, null, OpenShiftPlatform.ProxyName) is { } proxy)
        {
            using var document = JsonDocument.Parse(proxy.Json);
            if (document.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("trustedCA", out var ca) &&
                ca.TryGetProperty("name", out var caName) && caName.GetString() is { Length: > 0 } source &&
                _context.ConfigMapInformer.Get(OpenShiftPlatform.ConfigNamespace, source) is { } user &&
                user.Data?.TryGetValue(Key, out var extra) == true && !string.IsNullOrEmpty(extra))
            {
                bundle.Append(extra.EndsWith('\n') ? extra : extra + "\n");
            }
        }

        return bundle.ToString();
    }

    private static string PlatformCertificate(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=simulated-openshift-ingress-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
        return certificate.ExportCertificatePem() + "\n";
    }
}
