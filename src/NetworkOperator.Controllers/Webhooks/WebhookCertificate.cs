using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>The webhook's serving certificate, and the CA PEM to put in the webhook configuration when we made it.</summary>
public sealed class WebhookCertificate : IDisposable
{
    private WebhookCertificate(X509Certificate2 serving, string? caPem)
    {
        Serving = serving;
        CaPem = caPem;
    }

    public X509Certificate2 Serving { get; }

    /// <summary>PEM of the generated CA; null when the certificate came from a directory (someone else owns the CA bundle).</summary>
    public string? CaPem { get; }

    /// <summary>tls.crt and tls.key from <paramref name="directory"/> (cert-manager Secret or user-provided), or null when absent.</summary>
    public static WebhookCertificate? LoadFromDirectory(string directory)
    {
        var crt = Path.Combine(directory, "tls.crt");
        var key = Path.Combine(directory, "tls.key");
        if (!File.Exists(crt) || !File.Exists(key))
        {
            return null;
        }

        using var pem = X509Certificate2.CreateFromPemFile(crt, key);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return new WebhookCertificate(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null), null);
    }

    /// <summary>
    /// A self-signed CA and a serving certificate for the webhook Service's DNS names, valid for a year from
    /// <paramref name="time"/>'s now. Generated fresh at every start-up; the CA bundle is patched in afterwards.
    /// </summary>
    /// <param name="serviceName">The webhook Service's name.</param>
    /// <param name="serviceNamespace">The Service's namespace.</param>
    /// <param name="time">Clock for the validity period.</param>
    /// <param name="ipAddresses">Extra IP SANs, for endpoints reached by address (local runs, tests).</param>
    public static WebhookCertificate Generate(string serviceName, string serviceNamespace, TimeProvider? time = null,
        IEnumerable<System.Net.IPAddress>? ipAddresses = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(serviceNamespace);
        var now = (time ?? TimeProvider.System).GetUtcNow();

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=network-operator-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var host = $"{serviceName}.{serviceNamespace}.svc";
        var request = new CertificateRequest($"CN={host}", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { serviceName, $"{serviceName}.{serviceNamespace}", host, $"{host}.cluster.local" })
        {
            names.AddDnsName(dns);
        }

        foreach (var ip in ipAddresses ?? [])
        {
            names.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddYears(1).AddMinutes(-10), serial);
        using var withKey = signed.CopyWithPrivateKey(servingKey);
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new WebhookCertificate(serving, ca.ExportCertificatePem());
    }

    public void Dispose() => Serving.Dispose();
}
