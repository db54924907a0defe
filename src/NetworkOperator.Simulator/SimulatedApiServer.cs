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
using NetworkOperator.Simulator.Admission.Quota;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Auth;
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
/// or over HTTP through <see cref="CreateClient()"/>, a kubeconfig (<see cref="WriteKubeconfig"/>) or <see cref="BaseAddress"/>.
/// </summary>
public sealed class SimulatedApiServer : IAsyncDisposable
{
    private readonly SimulatedApiServerOptions _options;
    private readonly ObjectStore _store;
    private readonly LifecycleController _lifecycle;
    private readonly DiscoveryDocuments _discovery;
    private readonly OpenApiDocuments _openApi;
    private readonly ClusterRoleAggregator _aggregator;
    private WebApplication? _app;
    private Uri? _baseAddress;
    private Uri? _secureAddress;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;

    public SimulatedApiServer(SimulatedApiServerOptions? options = null)
    {
        _options = options ?? new SimulatedApiServerOptions();
        Registry = new ResourceRegistry();
        _store = new ObjectStore(_options.WatchHistoryPerResource, _options.WatcherQueueCapacity);
        Resources = new ResourceService(Registry, _store, _options.TimeProvider, _options);
        Resources.AddAdmissionStep(new BuiltInDefaults());
        Resources.AddAdmissionStep(new CustomResourceDefaulting());
        Resources.AddAdmissionStep(new LimitRangerAdmission(Resources, mutating: true));
        Resources.AddAdmissionStep(new ServiceAccountAdmission(Resources));
        Resources.AddAdmissionStep(new CustomResourceDefinitions.Validation());
        Resources.AddAdmissionStep(new BuiltInValidation());
        Resources.AddAdmissionStep(new CustomResourceValidation());
        Resources.AddAdmissionStep(new CustomResourceCelValidation());
        Resources.AddAdmissionStep(new LimitRangerAdmission(Resources, mutating: false));
        Resources.AddAdmissionStep(new Admission.PodSecurity.PodSecurityAdmission(Resources));
        Resources.AddAdmissionStep(new ValidatingWebhooks(Resources));
        Authentication = new TokenAuthenticator(Resources, _options.TimeProvider);
        Authorizer = new RbacAuthorizer(_store);
        Resources.AddAdmissionStep(new RbacStoragePolicy(Authorizer));
        Resources.AddAdmissionStep(new ResourceQuotaAdmission(Resources));
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
        _certificate = ServingCertificate.Create(_options.TimeProvider);
        var caPem = _certificate.ExportCertificatePem();
        _lifecycle = new LifecycleController(Resources, _options.NamespaceDefaults ? caPem : null);
        var namespaces = Registry.Find("", "v1", "namespaces")!;
        foreach (var ns in _options.InitialNamespaces)
        {
            Resources.CreateAsync(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } })
                .GetAwaiter().GetResult();

            // A real cluster's namespaces have had their defaults for long: present before the first request.
            if (_options.NamespaceDefaults)
            {
                NamespaceDefaultObjects.EnsureAsync(Resources, ns, caPem, CancellationToken.None).GetAwaiter().GetResult();
            }
        }

        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            Resources.CreateAsync(Registry.Find(RbacIndex.Group, "v1", "clusterroles")!, null, role).GetAwaiter().GetResult();
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            Resources.CreateAsync(Registry.Find(RbacIndex.Group, "v1", "clusterrolebindings")!, null, binding).GetAwaiter().GetResult();
        }

        _aggregator = new ClusterRoleAggregator(Resources);
        _aggregator.SyncAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Bearer tokens: the admin token of <see cref="CreateClient()"/> and kubeconfigs, static and ServiceAccount tokens.</summary>
    public TokenAuthenticator Authentication { get; }

    /// <summary>The authorizer HTTP requests go through (system:masters, then RBAC); tests may ask it directly.</summary>
    public RbacAuthorizer Authorizer { get; }

    /// <summary>The verbs of the API server without HTTP, for in-process components (simulated nodes, controllers).</summary>
    public ResourceService Resources { get; }

    public ResourceRegistry Registry { get; }

    /// <summary>HTTP API requests by verb and resource; tests may read and reset them.</summary>
    public RequestCounters Requests { get; } = new();

    /// <summary>Resource requests by user (bearer token), verb, group, resource, subresource and namespace.</summary>
    public AuditLog Audit { get; } = new();

    public FaultInjector Faults { get; }

    /// <summary>What simulated containers wrote, served as <c>pods/log</c> (empty unless appended to).</summary>
    public ContainerLogs ContainerLogs { get; } = new();

    public SimulatedApiServerOptions Options => _options;

    /// <summary>Background work (garbage collection, namespace and CRD cleanup) not yet done.</summary>
    public long PendingBackgroundWork => _lifecycle.Pending;

    /// <summary>Objects stored, all types together.</summary>
    public int ObjectCount => _store.ObjectCount();

    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The server has not been started; call StartAsync first.");

    public bool IsStarted => _baseAddress is not null;

    /// <summary>
    /// The HTTPS endpoint (self-signed certificate, see <see cref="CertificateAuthorityPem"/>): kubectl and helm send
    /// bearer tokens only over TLS, so kubeconfigs point here. Same API as <see cref="BaseAddress"/>.
    /// </summary>
    public Uri SecureAddress => _secureAddress ?? throw new InvalidOperationException("The server has not been started; call StartAsync first.");

    /// <summary>The PEM of the serving certificate, which is its own certificate authority.</summary>
    public string CertificateAuthorityPem => _certificate.ExportCertificatePem();

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
            kestrel.Listen(IPAddress.Loopback, _options.SecurePort, listen => listen.UseHttps(_certificate));
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        builder.Services.AddSingleton(_options.TimeProvider);
        var app = builder.Build();
        var guard = new RequestGuard(Authentication, Authorizer, _options.AnonymousAuth, Requests);
        var reviews = new ReviewEndpoints(Authorizer, Authentication, _options.TimeProvider);
        var handler = new HttpApiHandler(Resources, _discovery, _openApi, Requests, Audit, Faults, _options, guard, reviews, ContainerLogs);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)))
            .ToList();
        _baseAddress = addresses.First(a => a.Scheme == Uri.UriSchemeHttp);
        _secureAddress = addresses.First(a => a.Scheme == Uri.UriSchemeHttps);
    }

    /// <summary>A client configuration for this server with a bearer token (default: the cluster admin's).</summary>
    public KubernetesClientConfiguration CreateClientConfiguration(string? token = null) =>
        new() { Host = BaseAddress.ToString().TrimEnd('/'), AccessToken = token ?? Authentication.AdminToken };

    /// <summary>A KubernetesClient for this server, authenticated as the cluster admin (system:masters).</summary>
    public Kubernetes CreateClient() => new(CreateClientConfiguration());

    /// <summary>A KubernetesClient for this server that authenticates with the given bearer token.</summary>
    public Kubernetes CreateClient(string token) => new(CreateClientConfiguration(token));

    /// <summary>
    /// A plain HttpClient on <see cref="BaseAddress"/> that sends a bearer token (default: the cluster admin's), for
    /// requests no client library would send (malformed bodies, raw watch streams).
    /// </summary>
    public HttpClient CreateHttpClient(string? token = null, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? Authentication.AdminToken);
        return http;
    }

    /// <summary>
    /// Issues a token for a ServiceAccount (as TokenRequest does, so it stops working when the ServiceAccount is
    /// deleted), for in-process callers that must run under that identity.
    /// </summary>
    public string CreateServiceAccountToken(string ns, string name, TimeSpan? lifetime = null) =>
        Authentication.IssueServiceAccountToken(ns, name, lifetime ?? TimeSpan.FromHours(24)).Token;

    /// <summary>Writes a kubeconfig that kubectl and client libraries can use at once; returns its full path.</summary>
    public string WriteKubeconfig(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        Kubeconfig.Write(full, SecureAddress, Authentication.AdminToken, CertificateAuthorityPem);
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

        await _aggregator.DisposeAsync();
        await _lifecycle.DisposeAsync();
        _certificate.Dispose();
    }
}
