using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace NetworkOperator.Runtime.Hosting;

/// <summary>
/// Kestrel serving <c>/healthz</c>, <c>/readyz</c> and Prometheus <c>/metrics</c> on one or two addresses. Probes
/// answer <c>ok</c> / 200 or a reason / 503 like the Kubernetes components do.
/// </summary>
internal sealed class OperationalEndpoints : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperationalEndpoints(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    public IReadOnlyList<Uri> Addresses { get; }

    public static async Task<OperationalEndpoints?> StartAsync(string? healthAddress, string? metricsAddress,
        Func<string?> healthy, Func<string?> ready, CollectorRegistry registry, ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        var urls = new[] { healthAddress, metricsAddress }
            .Where(a => !string.IsNullOrEmpty(a) && a != "0")
            .Select(a => ToUrl(a!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (urls.Count == 0)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.UseUrls([.. urls]);
        var app = builder.Build();
        app.MapGet("/healthz", () => Probe(healthy()));
        app.MapGet("/readyz", () => Probe(ready()));
        app.MapMetrics("/metrics", registry);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => new Uri(a)).ToList() ?? [];
        return new OperationalEndpoints(app, bound);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IResult Probe(string? failure) =>
        failure is null
            ? Results.Text("ok", "text/plain")
            : Results.Text(failure, "text/plain", statusCode: (int)HttpStatusCode.ServiceUnavailable);

    // Accepts ":8081", "0.0.0.0:8081", "127.0.0.1:0" or a full URL.
    private static string ToUrl(string address)
    {
        if (address.Contains("://", StringComparison.Ordinal))
        {
            return address;
        }

        return address.StartsWith(':') ? $"http://0.0.0.0{address}" : $"http://{address}";
    }
}
