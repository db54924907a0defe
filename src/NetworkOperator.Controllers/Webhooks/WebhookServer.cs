using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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

    public static async Task<WebhookServer> StartAsync(AdmissionHandler handler, WebhookCertificate certificate, IPAddress address, int port,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(certificate);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate.Serving);
            });
        });
        var app = builder.Build();
        foreach (var path in WebhookPaths.Kinds.Keys)
        {
            app.MapPost(path, (HttpContext http) => ServeAsync(http, handler));
        }

        await app.StartAsync(cancellationToken);
        var bound = app.Urls.Select(u => new Uri(u.Replace("*", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal)).Port).First();
        return new WebhookServer(app, bound);
    }

    private static async Task ServeAsync(HttpContext http, AdmissionHandler handler)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            var review = await handler.ReviewAsync(body, http.RequestAborted);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(review.ToJsonString(), http.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or AdmissionReviewException)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync(ex.Message, http.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
