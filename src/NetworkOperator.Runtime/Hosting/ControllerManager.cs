using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Runtime.Hosting;

/// <summary>
/// Owns the shared caches, the controllers, leader election and the operational endpoints, and runs them in
/// controller-runtime's order: serve probes → start caches → wait for sync → (win the lease) → start controllers.
/// Caches run on every replica so a standby is warm; controllers run only on the leader and are stopped (draining
/// in-flight reconciles) when leadership is lost, after which the manager campaigns again. On shutdown controllers
/// drain first, then the lease is released, so a standby takes over within one retry period without overlap.
/// </summary>
public sealed class ControllerManager : IAsyncDisposable
{
    private readonly ManagerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<Controller> _controllers = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<EventRecorder> _events;
    private OperationalEndpoints? _endpoints;
    private volatile bool _electing;

    public ControllerManager(IKubernetes client, ManagerOptions? options = null, ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        _options = options ?? new ManagerOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("NetworkOperator.Runtime.Manager");
        _time = time ?? TimeProvider.System;
        Metrics = new RuntimeMetrics();
        if (_options.RequestMetrics is { } requests)
        {
            Metrics.Attach(requests);
        }

        var cacheDefaults = _options.CacheDefaults.Clone();
        cacheDefaults.OnInvalidObject ??= ReportInvalidObject;
        Cache = new SharedInformerFactory(client, Metrics, _loggerFactory, _time, cacheDefaults);
        Elector = _options.LeaderElection is { } election
            ? new LeaderElector(client, election, Metrics, _loggerFactory, _time)
            : null;
        _events = new Lazy<EventRecorder>(() =>
            new EventRecorder(client, _options.EventComponent, _options.LeaderElection?.Identity ?? Environment.MachineName, _time,
                _loggerFactory));
    }

    public IKubernetes Client { get; }

    /// <summary>Reason of the Warning Event recorded on an object the caches cannot read.</summary>
    public const string InvalidObjectReason = "InvalidObject";

    /// <summary>The shared informers; also the cache reader controllers use.</summary>
    public SharedInformerFactory Cache { get; }

    public ICacheReader Reader => Cache;

    public RuntimeMetrics Metrics { get; }

    public LeaderElector? Elector { get; }

    public IReadOnlyList<Controller> Controllers => _controllers;

    /// <summary>Events recorder shared by all controllers (de-duplicates across them).</summary>
    public EventRecorder Events => _events.Value;

    /// <summary>True when this replica runs controllers (always, without leader election).</summary>
    public bool IsLeader => Elector?.IsLeader ?? _controllers.Any(c => c.IsRunning);

    /// <summary>Addresses Kestrel actually bound (port 0 resolved); empty before start or when disabled.</summary>
    public IReadOnlyList<Uri> EndpointAddresses => _endpoints?.Addresses ?? [];

    /// <summary>Completes once the endpoints are serving (before caches sync).</summary>
    public Task Started => _started.Task;

    /// <summary>Null when ready; otherwise why not (caches not synced, or not yet electing).</summary>
    public string? NotReadyReason =>
        !Cache.HasSynced ? "caches not synced"
        : Elector is not null && !_electing ? "leader election not started"
        : null;

    /// <summary>Starts a controller definition bound to this manager's caches; <c>Complete</c> registers it.</summary>
    public ControllerBuilder NewController(string? name = null)
    {
        var builder = new ControllerBuilder(Cache, Register, Metrics, _loggerFactory, _time);
        return name is null ? builder : builder.Named(name);
    }

    /// <summary>An applier reading live objects from this manager's cache.</summary>
    public void Register(Controller controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        controller.GracefulShutdownTimeout = _options.GracefulShutdownTimeout;
        lock (_controllers)
        {
            if (_controllers.Any(c => c.Name == controller.Name))
            {
                throw new InvalidOperationException($"A controller named {controller.Name} is already registered.");
            }

            _controllers.Add(controller);
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires (SIGTERM under the generic host), then drains.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        RuntimeLog.StartingManager(_logger, Elector is not null);
        try
        {
            _endpoints = await OperationalEndpoints.StartAsync(_options.HealthProbeBindAddress, _options.MetricsBindAddress,
                () => null, () => NotReadyReason, Metrics.Registry, _loggerFactory, cancellationToken,
                _options.SecureMetrics ? Client : null, _time).ConfigureAwait(false);
            foreach (var address in EndpointAddresses)
            {
                RuntimeLog.ServingEndpoint(_logger, "probes+metrics", address.ToString());
            }

            _started.TrySetResult();
            Cache.Start();
            using (var syncTimeout = new CancellationTokenSource(_options.CacheSyncTimeout, _time))
            using (var sync = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, syncTimeout.Token))
            {
                try
                {
                    await Cache.WaitForCacheSyncAsync(sync.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (syncTimeout.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"Caches did not sync within {_options.CacheSyncTimeout}: " +
                        string.Join(", ", Cache.Informers.Where(i => !i.HasSynced).Select(i => i.Kind.Resource)));
                }
            }

            if (Elector is null)
            {
                await RunControllersAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _electing = true;
                await Elector.RunAsync(RunControllersAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _electing = false;
            _started.TrySetResult();
            await Cache.StopAsync().ConfigureAwait(false);
            if (_endpoints is not null)
            {
                await _endpoints.DisposeAsync().ConfigureAwait(false);
                _endpoints = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync().ConfigureAwait(false);
        if (_endpoints is not null)
        {
            await _endpoints.DisposeAsync().ConfigureAwait(false);
        }

        if (_events.IsValueCreated)
        {
            _events.Value.Dispose();
        }
    }

    private async Task RunControllersAsync(CancellationToken leading)
    {
        Controller[] controllers;
        lock (_controllers)
        {
            controllers = [.. _controllers];
        }

        var runs = controllers.Select(c => RunOneAsync(c, leading)).ToArray();
        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    private async Task RunOneAsync(Controller controller, CancellationToken leading)
    {
        try
        {
            await controller.RunAsync(leading).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RuntimeLog.ControllerFailed(_logger, ex, controller.Name);
            throw;
        }
        finally
        {
            if (leading.IsCancellationRequested)
            {
                RuntimeLog.StoppingControllers(_logger);
            }
        }
    }

    // The informer skips and logs an object it cannot read; the Event puts the field in front of whoever looks at the
    // object (kubectl describe), since its status cannot be written while it is unreadable.
    private void ReportInvalidObject(InvalidObject invalid)
    {
        if (string.IsNullOrEmpty(invalid.Name))
        {
            return;
        }

        var involved = new InvolvedObject
        {
            ApiVersion = invalid.Kind.ApiVersion,
            Kind = invalid.Kind.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = invalid.Name, NamespaceProperty = invalid.Namespace, Uid = invalid.Uid, ResourceVersion = invalid.ResourceVersion,
            },
        };
        _ = Task.Run(() => Events.RecordAsync(involved, EventRecorder.Warning, InvalidObjectReason,
            $"{invalid.Field}: {invalid.Problem}; the operator skips this object until it is fixed"));
    }
}
