using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Controllers.Webhooks;

namespace NetworkOperator.Controllers.Tests.Webhooks;

public class WebhookCertificateTests
{
    [Fact]
    public void Generated_serving_certificate_chains_to_the_generated_ca_and_names_the_service()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        using var generated = WebhookCertificate.Generate("nno-webhook-service", "nvidia-network-operator", time, [IPAddress.Loopback]);

        Assert.True(generated.Serving.HasPrivateKey);
        var san = generated.Serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("nno-webhook-service.nvidia-network-operator.svc", san.EnumerateDnsNames());
        Assert.Contains("nno-webhook-service.nvidia-network-operator.svc.cluster.local", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Equal(time.GetUtcNow().AddYears(1).AddMinutes(-10).UtcDateTime, generated.Serving.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));

        var ca = X509Certificate2.CreateFromPem(generated.CaPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().AddDays(1).UtcDateTime;
        Assert.True(chain.Build(generated.Serving), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Certificates_from_a_directory_are_used_as_they_are_and_leave_the_ca_bundle_alone()
    {
        var dir = Directory.CreateTempSubdirectory("webhook-certs-");
        try
        {
            Assert.Null(WebhookCertificate.LoadFromDirectory(dir.FullName));

            using var source = WebhookCertificate.Generate("svc", "ns");
            File.WriteAllText(Path.Combine(dir.FullName, "tls.crt"), source.Serving.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir.FullName, "tls.key"), source.Serving.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

            using var loaded = WebhookCertificate.LoadFromDirectory(dir.FullName);
            Assert.NotNull(loaded);
            Assert.Null(loaded.CaPem);
            Assert.True(loaded.Serving.HasPrivateKey);
            Assert.Equal(source.Serving.Thumbprint, loaded.Serving.Thumbprint);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Options_come_from_the_environment_the_chart_sets()
    {
        var options = WebhookOptions.FromEnvironment(new System.Collections.Hashtable
        {
            ["ENABLE_WEBHOOKS"] = "true",
            ["SKIP_VALIDATIONS"] = "false",
            ["WEBHOOK_PORT"] = "9443",
            ["WEBHOOK_CERT_DIR"] = "/tmp/k8s-webhook-server/serving-certs",
            ["WEBHOOK_SERVICE_NAME"] = "network-operator-webhook-service",
            ["WEBHOOK_CONFIGURATION_NAME"] = "network-operator-validating-webhook",
            ["POD_NAMESPACE"] = "nno",
        });

        Assert.True(options.Enabled);
        Assert.False(options.SkipValidations);
        Assert.Equal(9443, options.Port);
        Assert.Equal("network-operator-webhook-service", options.ServiceName);
        Assert.Equal("network-operator-validating-webhook", options.ConfigurationName);
        Assert.Equal("nno", options.Namespace);
        Assert.False(WebhookOptions.FromEnvironment(new System.Collections.Hashtable()).Enabled);
    }
}
