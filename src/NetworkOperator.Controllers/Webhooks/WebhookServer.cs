using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using NetworkOperator.Api.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>HTTPS (Kestrel) endpoint serving the three validation paths with an <see cref="AdmissionHandler"/>.</summary>
public sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The bound port (useful when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>Most an AdmissionReview can be: the API server's own request limit (3 MiB) plus the old object.</summary>
    public const long MaxRequestBodyBytes = 7 * 1024 * 1024;

    public static Task<WebhookServer> StartAsync(AdmissionHandler handler, WebhookCertificate certificate, IPAddress address, int port,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return StartAsync(handler, ReloadingCertificate.Fixed(certificate.Serving), address, port, loggerFactory, cancellationToken);
    }

    /// <summary>
    /// Serves HTTPS with TLS 1.2 as the minimum (set here, not left to the image's OpenSSL defaults), presenting
    /// <paramref name="certificate"/>'s current certificate on every handshake so renewals apply without a restart.
    /// </summary>
    public static async Task<WebhookServer> StartAsync(AdmissionHandler handler, ReloadingCertificate certificate, IPAddress address, int port,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(certificate);
        var logger = loggerFactory?.CreateLogger(typeof(WebhookServer).FullName!);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ServerCertificateSelector = (_, _) => certificate.Current,
                });
            });
        });
        var app = builder.Build();
        foreach (var path in WebhookPaths.Kinds.Keys)
        {
            app.MapPost(path, (HttpContext http) => ServeAsync(http, handler, logger));
        }

        await app.StartAsync(cancellationToken);
        var bound = app.Urls.Select(u => new Uri(u.Replace("*", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal)).Port).First();
        return new WebhookServer(app, bound);
    }

    private static async Task ServeAsync(HttpContext http, AdmissionHandler handler, ILogger? logger)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            var review = await handler.ReviewAsync(body, http.RequestAborted);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(review.ToJsonString(), http.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or AdmissionReviewException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The caller sent something that is not an AdmissionReview: say what, in one line, without a stack trace.
            var status = ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            var message = ex is JsonException json ? "the body is not JSON: " + StrictJson.Describe(json) : ex.Message;
            if (logger?.IsEnabled(LogLevel.Information) == true)
            {
                logger.LogInformation("Refused a malformed admission request to {Path} ({Status}): {Reason}", http.Request.Path.Value, status, PrintableText.Escape(message));
            }

            http.Response.StatusCode = status;
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(message, http.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
