using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Controllers.Webhooks;

namespace NetworkOperator.Controllers.Tests.Webhooks;

/// <summary>The HTTPS endpoint: certificate renewal without a restart, TLS 1.2 at least, 400 for what is not a review.</summary>
public sealed class WebhookServerTests : IDisposable
{
    private readonly DirectoryInfo _certs = Directory.CreateTempSubdirectory("webhook-serving-");

    public void Dispose() => _certs.Delete(recursive: true);

    private void WritePair(WebhookCertificate certificate)
    {
        File.WriteAllText(Path.Combine(_certs.FullName, "tls.crt"), certificate.Serving.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_certs.FullName, "tls.key"), certificate.Serving.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    private static async Task<(X509Certificate2 Certificate, SslProtocols Protocol)> HandshakeAsync(int port, SslProtocols protocols = SslProtocols.None)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented is not null);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocols });
        return (new X509Certificate2(ssl.RemoteCertificate!), ssl.SslProtocol);
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_without_a_restart()
    {
        using var first = WebhookCertificate.Generate("svc", "ns");
        using var second = WebhookCertificate.Generate("svc", "ns");
        WritePair(first);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var certificate = ReloadingCertificate.FromDirectory(_certs.FullName, time)!;
        await using var server = await WebhookServer.StartAsync(new AdmissionHandler(), certificate, IPAddress.Loopback, 0);

        Assert.Equal(first.Serving.Thumbprint, (await HandshakeAsync(server.Port)).Certificate.Thumbprint);

        // cert-manager writes the renewed pair into the mounted Secret.
        WritePair(second);
        File.SetLastWriteTimeUtc(Path.Combine(_certs.FullName, "tls.crt"), DateTime.UtcNow.AddMinutes(1));
        time.Advance(ReloadingCertificate.CheckInterval);

        Assert.Equal(second.Serving.Thumbprint, (await HandshakeAsync(server.Port)).Certificate.Thumbprint);
        Assert.Equal(1, certificate.Reloads);
    }

    [Fact]
    public void A_half_written_pair_keeps_the_previous_certificate()
    {
        using var first = WebhookCertificate.Generate("svc", "ns");
        using var second = WebhookCertificate.Generate("svc", "ns");
        WritePair(first);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var certificate = ReloadingCertificate.FromDirectory(_certs.FullName, time)!;

        // New certificate, old key: the pair does not match yet.
        File.WriteAllText(Path.Combine(_certs.FullName, "tls.crt"), second.Serving.ExportCertificatePem());
        File.SetLastWriteTimeUtc(Path.Combine(_certs.FullName, "tls.crt"), DateTime.UtcNow.AddMinutes(1));
        time.Advance(ReloadingCertificate.CheckInterval);

        Assert.Equal(first.Serving.Thumbprint, certificate.Current.Thumbprint);
        Assert.Equal(0, certificate.Reloads);
    }

    [Fact]
    public async Task Tls_below_1_2_is_never_negotiated()
    {
        using var generated = WebhookCertificate.Generate("svc", "ns");
        await using var server = await WebhookServer.StartAsync(new AdmissionHandler(), generated, IPAddress.Loopback, 0);

        var (_, negotiated) = await HandshakeAsync(server.Port);
        Assert.True(negotiated is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {negotiated}");
        Assert.Equal(SslProtocols.Tls12, (await HandshakeAsync(server.Port, SslProtocols.Tls12)).Protocol);
    }

    [Theory]
    [InlineData("not json at all", "the body is not JSON")]
    [InlineData("""{"apiVersion": 1, "kind": "AdmissionReview"}""", "only admission.k8s.io/v1 AdmissionReviews are served")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u", "operation": "CREATE", "object": 5}}""", "request.object")]
    public async Task Malformed_reviews_get_400_with_a_message(string body, string message)
    {
        using var generated = WebhookCertificate.Generate("svc", "ns");
        await using var server = await WebhookServer.StartAsync(new AdmissionHandler(), generated, IPAddress.Loopback, 0);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null };
        using var http = new HttpClient(handler);

        using var response = await http.PostAsync(new Uri($"https://127.0.0.1:{server.Port}{WebhookPaths.MacvlanNetwork}"),
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_before_it_is_read()
    {
        using var generated = WebhookCertificate.Generate("svc", "ns");
        await using var server = await WebhookServer.StartAsync(new AdmissionHandler(), generated, IPAddress.Loopback, 0);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented is not null);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });

        // Only the headers are sent: the server must answer from the announced length, without waiting for the body.
        var head = $"POST {WebhookPaths.NicClusterPolicy} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
            $"Content-Length: {WebhookServer.MaxRequestBodyBytes + 1}\r\n\r\n";
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(head));
        await ssl.FlushAsync();
        using var reader = new StreamReader(ssl, Encoding.ASCII);

        Assert.StartsWith("HTTP/1.1 413", await reader.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":9443", "0.0.0.0", 9443)]
    [InlineData("127.0.0.1", "127.0.0.1", 9443)]
    [InlineData("127.0.0.1:8443", "127.0.0.1", 8443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    public void Bind_addresses_are_host_and_optional_port(string text, string address, int port)
    {
        Assert.Equal((IPAddress.Parse(address), port), WebhookOptions.ParseBindAddress(text, 9443));
    }

    [Fact]
    public void The_bind_address_comes_from_the_environment()
    {
        var options = WebhookOptions.FromEnvironment(new Dictionary<string, string> { ["WEBHOOK_BIND_ADDRESS"] = "127.0.0.1", ["WEBHOOK_PORT"] = "9555" });

        Assert.Equal(IPAddress.Loopback, options.ListenAddress);
        Assert.Equal(9555, options.Port);
        Assert.Throws<FormatException>(() => WebhookOptions.ParseBindAddress("localhost:x", 9443));
    }
}
