using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Simulator.Tests.Support;

/// <summary>An HTTPS admission webhook on 127.0.0.1 with a certificate from its own throwaway CA.</summary>
public sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookServer(WebApplication app, string caBundle, Uri url)
    {
        _app = app;
        CaBundle = caBundle;
        Url = url;
    }

    /// <summary>Base64 PEM of the CA, as caBundle wants it.</summary>
    public string CaBundle { get; }

    public Uri Url { get; }

    public List<JsonObject> Reviews { get; } = [];

    public static async Task<WebhookServer> StartAsync(Func<JsonObject, JsonObject> decide, TimeSpan? delay = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4]);
        var serverCertificate = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(serverCertificate)));
        var app = builder.Build();
        var caBundle = Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.ExportCertificatePem()));
        WebhookServer? server = null;
        app.Run(async context =>
        {
            var review = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            lock (server!.Reviews)
            {
                server.Reviews.Add(review);
            }

            if (delay is { } d)
            {
                await Task.Delay(d);
            }

            var response = decide(review["request"]!.AsObject());
            response["uid"] = review["request"]!["uid"]!.GetValue<string>();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response,
            }.ToJsonString());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new WebhookServer(app, caBundle, new Uri(new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)), "/validate"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
