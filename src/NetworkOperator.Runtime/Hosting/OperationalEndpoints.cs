using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
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
/// answer <c>ok</c> / 200 or a reason / 503 like the Kubernetes components do. With secure metrics, <c>/metrics</c> is
/// served on its own address over HTTPS (a self-signed certificate made at start, as controller-runtime does without a
/// certificate directory) behind <see cref="MetricsAccessFilter"/>; the probes stay plain HTTP for the kubelet.
/// </summary>
internal sealed class OperationalEndpoints : IAsyncDisposable
{
    private readonly IReadOnlyList<WebApplication> _apps;

    private OperationalEndpoints(IReadOnlyList<WebApplication> apps, IReadOnlyList<Uri> addresses)
    {
        _apps = apps;
        Addresses = addresses;
    }

    public IReadOnlyList<Uri> Addresses { get; }

    // secureMetrics: the client whose API server reviews scrapers' tokens; null serves metrics openly.
    public static async Task<OperationalEndpoints?> StartAsync(string? healthAddress, string? metricsAddress,
        Func<string?> healthy, Func<string?> ready, CollectorRegistry registry, ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken, IKubernetes? secureMetrics = null, TimeProvider? time = null)
    {
        static bool Enabled(string? a) => !string.IsNullOrEmpty(a) && a != "0";
        var apps = new List<WebApplication>();
        var bound = new List<Uri>();
        try
        {
            if (secureMetrics is not null && Enabled(metricsAddress))
            {
                var health = Enabled(healthAddress) ? ToUrl(healthAddress!) : null;
                var metrics = ToUrl(metricsAddress!);
                // Port 0 asks for a free port each, so two such addresses are two sockets.
                if (health == metrics && !metrics.EndsWith(":0", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"secure metrics need their own address; the metrics and health probe addresses are both {metricsAddress}");
                }

                if (health is not null)
                {
                    bound.AddRange(await StartAppAsync(apps, [health], loggerFactory, app =>
                    {
                        app.MapGet("/healthz", () => Probe(healthy()));
                        app.MapGet("/readyz", () => Probe(ready()));
                    }, null, cancellationToken).ConfigureAwait(false));
                }

                var logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
                    .CreateLogger("NetworkOperator.Runtime.Metrics");
                var filter = new MetricsAccessFilter(secureMetrics, logger);
                bound.AddRange(await StartAppAsync(apps, [metrics.Replace("http://", "https://", StringComparison.Ordinal)], loggerFactory, app =>
                {
                    app.Use(filter.InvokeAsync);
                    app.MapMetrics("/metrics", registry);
                }, SelfSignedCertificate.Create(time ?? TimeProvider.System), cancellationToken).ConfigureAwait(false));
            }
            else
            {
                var urls = new[] { healthAddress, metricsAddress }.Where(Enabled).Select(a => ToUrl(a!)).Distinct(StringComparer.Ordinal).ToList();
                if (urls.Count == 0)
                {
                    return null;
                }

                bound.AddRange(await StartAppAsync(apps, urls, loggerFactory, app =>
                {
                    app.MapGet("/healthz", () => Probe(healthy()));
                    app.MapGet("/readyz", () => Probe(ready()));
                    app.MapMetrics("/metrics", registry);
                }, null, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            await new OperationalEndpoints(apps, bound).DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new OperationalEndpoints(apps, bound);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IEnumerable<Uri>> StartAppAsync(List<WebApplication> apps, IReadOnlyList<string> urls, ILoggerFactory? loggerFactory,
        Action<WebApplication> map, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            }));
        }

        builder.WebHost.UseUrls([.. urls]);
        var app = builder.Build();
        apps.Add(app);
        map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];
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
