using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// One informer per kind per process, shared by every controller and reader, so each kind is listed and watched once.
/// Informers requested after <see cref="Start"/> are started at once.
/// </summary>
public sealed class SharedInformerFactory : ICacheReader, IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly RuntimeMetrics _metrics;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Type, IInformer> _informers = new();
    private readonly ConcurrentDictionary<Type, InformerOptions> _options = new();
    private readonly ConcurrentDictionary<IInformer, Task> _running = new();
    private readonly Lock _startLock = new();
    private CancellationTokenSource? _stop;

    public SharedInformerFactory(IKubernetes client, RuntimeMetrics? metrics = null, ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null, InformerOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _metrics = metrics ?? new RuntimeMetrics();
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
        Defaults = defaults ?? new InformerOptions();
    }

    /// <summary>Options for kinds without their own <see cref="Configure{T}"/> call.</summary>
    public InformerOptions Defaults { get; }

    public IKubernetes Client => _client;

    public IReadOnlyCollection<IInformer> Informers => [.. _informers.Values];

    public bool HasSynced => _informers.Values.All(i => i.HasSynced);

    /// <summary>Scopes the cache of <typeparamref name="T"/> (namespace, selectors); call before the informer is created.</summary>
    public SharedInformerFactory Configure<T>(Action<InformerOptions> configure)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (_informers.ContainsKey(typeof(T)))
        {
            throw new InvalidOperationException($"The informer for {typeof(T).Name} already exists; configure it first.");
        }

        var options = _options.GetOrAdd(typeof(T), _ => Defaults.Clone());
        configure(options);
        return this;
    }

    public Informer<T> GetInformer<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = (Informer<T>)_informers.GetOrAdd(typeof(T), _ =>
            new Informer<T>(new ResourceClient<T>(_client), _options.GetValueOrDefault(typeof(T)) ?? Defaults, _metrics,
                _loggerFactory, _time));
        lock (_startLock)
        {
            if (_stop is not null)
            {
                StartOne(informer, _stop.Token);
            }
        }

        return informer;
    }

    /// <summary>Starts every informer (now and later ones) until <see cref="StopAsync"/> or disposal.</summary>
    public void Start()
    {
        lock (_startLock)
        {
            _stop ??= new CancellationTokenSource();
            foreach (var informer in _informers.Values)
            {
                StartOne(informer, _stop.Token);
            }
        }
    }

    public async Task WaitForCacheSyncAsync(CancellationToken cancellationToken)
    {
        // Informers created while waiting are waited for too.
        while (true)
        {
            var pending = _informers.Values.Where(i => !i.HasSynced).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            await Task.WhenAll(pending.Select(i => i.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
        }
    }

    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        lock (_startLock)
        {
            stop = _stop;
            _stop = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _running.Clear();
        stop.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public T? Get<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Require<T>().Store.Get(new Reconcile.ObjectKey(Reconcile.ObjectKey.NullIfEmpty(@namespace), name));

    public IReadOnlyList<T> List<T>(string? @namespace = null, LabelSelector? selector = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Require<T>().Store.List(@namespace, selector);

    public IReadOnlyList<T> ListOwnedBy<T>(string ownerUid)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Require<T>().Store.ListByOwner(ownerUid);

    public bool IsCached<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _informers.TryGetValue(typeof(T), out var informer) && informer.HasSynced;

    private Informer<T> Require<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _informers.TryGetValue(typeof(T), out var informer)
            ? (Informer<T>)informer
            : throw new InvalidOperationException(
                $"{typeof(T).Name} is not cached; watch it from a controller or call GetInformer<{typeof(T).Name}>() before starting.");

    private void StartOne(IInformer informer, CancellationToken stop)
    {
        _running.GetOrAdd(informer, i => Task.Run(() => i.RunAsync(stop), CancellationToken.None));
    }
}
