using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetworkOperator.Simulator.Admission;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Defaulting;
using NetworkOperator.Simulator.Diagnostics;
using NetworkOperator.Simulator.Discovery;
using NetworkOperator.Simulator.Lifecycle;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Storage;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator;

/// <summary>
/// An embedded Kubernetes API server on 127.0.0.1 over plain HTTP. Use it in-process through <see cref="Resources"/>
/// or over HTTP through <see cref="CreateClient"/>, a kubeconfig (<see cref="WriteKubeconfig"/>) or <see cref="BaseAddress"/>.
/// </summary>
public sealed class SimulatedApiServer : IAsyncDisposable
{
    private readonly SimulatedApiServerOptions _options;
    private readonly ObjectStore _store;
    private readonly LifecycleController _lifecycle;
    private readonly DiscoveryDocuments _discovery;
    private readonly OpenApiDocuments _openApi;
    private WebApplication? _app;
    private Uri? _baseAddress;

    public SimulatedApiServer(SimulatedApiServerOptions? options = null)
    {
        _options = options ?? new SimulatedApiServerOptions();
        Registry = new ResourceRegistry();
        _store = new ObjectStore(_options.WatchHistoryPerResource, _options.WatcherQueueCapacity);
        Resources = new ResourceService(Registry, _store, _options.TimeProvider, _options);
        Resources.AddAdmissionStep(new BuiltInDefaults());
        Resources.AddAdmissionStep(new CustomResourceDefaulting());
        Resources.AddAdmissionStep(new CustomResourceDefinitions.Validation());
        Resources.AddAdmissionStep(new BuiltInValidation());
        Resources.AddAdmissionStep(new CustomResourceValidation());
        Resources.AddAdmissionStep(new CustomResourceCelValidation());
        Resources.AddAdmissionStep(new Admission.PodSecurity.PodSecurityAdmission(Resources));
        Resources.AddAdmissionStep(new ValidatingWebhooks(Resources));
        Faults = new FaultInjector();
        Faults.CloseWatchesRequested = () =>
        {
            foreach (var watcher in _store.AllWatchers())
            {
                watcher.Close("closed by fault injection");
            }
        };
        _discovery = new DiscoveryDocuments(Registry);
        _openApi = new OpenApiDocuments(Registry);
        _lifecycle = new LifecycleController(Resources);
        var namespaces = Registry.Find("", "v1", "namespaces")!;
        foreach (var ns in _options.InitialNamespaces)
        {
            Resources.CreateAsync(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } })
                .GetAwaiter().GetResult();
        }
    }

    /// <summary>The verbs of the API server without HTTP, for in-process components (simulated nodes, controllers).</summary>
    public ResourceService Resources { get; }

    public ResourceRegistry Registry { get; }

    /// <summary>HTTP API requests by verb and resource; tests may read and reset them.</summary>
    public RequestCounters Requests { get; } = new();

    /// <summary>Resource requests by user (bearer token), verb, group, resource, subresource and namespace.</summary>
    public AuditLog Audit { get; } = new();

    public FaultInjector Faults { get; }

    public SimulatedApiServerOptions Options => _options;

    /// <summary>Background work (garbage collection, namespace and CRD cleanup) not yet done.</summary>
    public long PendingBackgroundWork => _lifecycle.Pending;

    /// <summary>Objects stored, all types together.</summary>
    public int ObjectCount => _store.ObjectCount();

    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The server has not been started; call StartAsync first.");

    public bool IsStarted => _baseAddress is not null;

    /// <summary>Creates and starts a server in one call.</summary>
    public static async Task<SimulatedApiServer> StartNewAsync(SimulatedApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new SimulatedApiServer(options);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, _options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        builder.Services.AddSingleton(_options.TimeProvider);
        var app = builder.Build();
        var handler = new HttpApiHandler(Resources, _discovery, _openApi, Requests, Audit, Faults, _options);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public KubernetesClientConfiguration CreateClientConfiguration() => new() { Host = BaseAddress.ToString().TrimEnd('/') };

    /// <summary>A KubernetesClient configured for this server.</summary>
    public Kubernetes CreateClient() => new(CreateClientConfiguration());

    /// <summary>Writes a kubeconfig that kubectl and client libraries can use at once; returns its full path.</summary>
    public string WriteKubeconfig(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(full, Kubeconfig.Render(BaseAddress));
        return full;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            Faults.CloseAllWatches();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await _app.DisposeAsync();
            _app = null;
        }

        await _lifecycle.DisposeAsync();
    }
}
