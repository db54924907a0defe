using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetworkOperator.Runtime.Hosting;

/// <summary>
/// A serving certificate made in memory at start-up for the secure metrics endpoint when none is provided: scrapers
/// that trust nothing but the token (Prometheus with <c>insecure_skip_verify</c>, as controller-runtime's scaffolding
/// documents) still get an encrypted connection.
/// </summary>
internal static class SelfSignedCertificate
{
    public static X509Certificate2 Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=network-operator-metrics", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Kestrel needs the key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
