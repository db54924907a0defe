using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// Every informer of the process, keyed by group/version/kind (controller-runtime's cache): typed informers
/// (<see cref="GetInformer{T}()"/>) and unstructured ones of any kind (<see cref="GetInformer(ResourceKind)"/>,
/// objects as <see cref="KubeObject"/>) come from here, each with its own options (transform, namespace, label and
/// field selectors) and, where one kind needs several scopes, several named informers per kind. Each is listed and
/// watched once and shared by every controller and reader; all start, sync and stop with the manager. Informers
/// requested after <see cref="Start"/> are started at once.
/// </summary>
public sealed class SharedInformerFactory : ICacheReader, IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly RuntimeMetrics _metrics;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<InformerKey, IInformer> _informers = new();
    private readonly ConcurrentDictionary<InformerKey, InformerOptions> _options = new();
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

    /// <summary>Options for informers without their own <c>Configure</c> call.</summary>
    public InformerOptions Defaults { get; }

    public IKubernetes Client => _client;

    public IReadOnlyCollection<IInformer> Informers => [.. _informers.Values];

    /// <summary>The kinds with an unstructured default informer, in no particular order.</summary>
    public IReadOnlyCollection<ResourceKind> UnstructuredKinds =>
        [.. _informers.Keys.Where(k => k.Model == typeof(KubeObject) && k.Scope is null).Select(k => k.Kind)];

    public bool HasSynced => _informers.Values.All(i => i.HasSynced);

    /// <summary>Scopes the default informer of <typeparamref name="T"/>; call before the informer is created.</summary>
    public SharedInformerFactory Configure<T>(Action<InformerOptions> configure)
        where T : class, IKubernetesObject<V1ObjectMeta> => Configure(Key<T>(null), configure);

    /// <summary>Configures the informer of <typeparamref name="T"/> named <paramref name="scope"/>, one of several of its kind.</summary>
    public SharedInformerFactory Configure<T>(string scope, Action<InformerOptions> configure)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        return Configure(Key<T>(scope), configure);
    }

    /// <summary>Scopes the unstructured informer of <paramref name="kind"/>; call before the informer is created.</summary>
    public SharedInformerFactory Configure(ResourceKind kind, Action<InformerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Configure(new InformerKey(kind, typeof(KubeObject)), configure);
    }

    /// <summary>The default informer of <typeparamref name="T"/>, created on first use.</summary>
    public Informer<T> GetInformer<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> => GetOrCreate<T>(Key<T>(null));

    /// <summary>The informer of <typeparamref name="T"/> named <paramref name="scope"/>, created on first use.</summary>
    public Informer<T> GetInformer<T>(string scope)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        return GetOrCreate<T>(Key<T>(scope));
    }

    /// <summary>The unstructured informer of <paramref name="kind"/>, created on first use.</summary>
    public Informer<KubeObject> GetInformer(ResourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return GetOrCreate<KubeObject>(new InformerKey(kind, typeof(KubeObject)));
    }

    /// <summary>The unstructured informer of <paramref name="kind"/> when one exists; never creates one.</summary>
    public Informer<KubeObject>? FindInformer(ResourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return _informers.TryGetValue(new InformerKey(kind, typeof(KubeObject)), out var informer) ? (Informer<KubeObject>)informer : null;
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
        _informers.TryGetValue(Key<T>(null), out var informer) && informer.HasSynced;

    public bool Serves(ResourceKind kind) => FindInformer(kind) is not null;

    public KubeObject? Get(ResourceKind kind, string? @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return FindInformer(kind)?.Store.Get(new Reconcile.ObjectKey(kind.Namespaced ? Reconcile.ObjectKey.NullIfEmpty(@namespace) : null, name));
    }

    public IReadOnlyList<KubeObject> List(ResourceKind kind, LabelSelector? selector = null, string? @namespace = null) =>
        FindInformer(kind)?.Store.List(@namespace, selector) ?? [];

    public IEnumerable<(ResourceKind Kind, KubeObject Object)> ControlledBy(string ownerUid, LabelSelector? selector = null)
    {
        foreach (var (key, informer) in _informers)
        {
            if (key.Model != typeof(KubeObject) || key.Scope is not null)
            {
                continue;
            }

            foreach (var obj in ((Informer<KubeObject>)informer).Store.ListByOwner(ownerUid))
            {
                if ((selector is null || selector.Matches(obj.Metadata.Labels))
                    && (obj.Metadata.OwnerReferences ?? []).Any(r => r.Uid == ownerUid && r.Controller == true))
                {
                    yield return (key.Kind, obj);
                }
            }
        }
    }

    /// <summary>Puts this process's create into the unstructured cache of <paramref name="kind"/> before its watch event.</summary>
    public bool AssumeCreated(ResourceKind kind, KubeObject created) => FindInformer(kind)?.AssumeCreated(created) == true;

    /// <summary>Puts this process's update into the unstructured cache of <paramref name="kind"/> before its watch event.</summary>
    public bool Assume(ResourceKind kind, KubeObject updated) => FindInformer(kind)?.Assume(updated) == true;

    private static InformerKey Key<T>(string? scope)
        where T : class, IKubernetesObject<V1ObjectMeta> => new(ResourceKinds.For<T>(), typeof(T), scope);

    private SharedInformerFactory Configure(InformerKey key, Action<InformerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (_informers.ContainsKey(key))
        {
            throw new InvalidOperationException($"The informer for {key} already exists; configure it first.");
        }

        var options = _options.GetOrAdd(key, _ => Defaults.Clone());
        configure(options);
        return this;
    }

    private Informer<T> GetOrCreate<T>(InformerKey key)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = (Informer<T>)_informers.GetOrAdd(key, k =>
        {
            var options = _options.GetValueOrDefault(k) ?? Defaults;
            return new Informer<T>(new ResourceClient<T>(_client, k.Kind) { Shape = options.Shape }, options, _metrics, _loggerFactory, _time);
        });
        lock (_startLock)
        {
            if (_stop is not null)
            {
                StartOne(informer, _stop.Token);
            }
        }

        return informer;
    }

    private Informer<T> Require<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _informers.TryGetValue(Key<T>(null), out var informer)
            ? (Informer<T>)informer
            : throw new InvalidOperationException(
                $"{typeof(T).Name} is not cached; watch it from a controller or call GetInformer<{typeof(T).Name}>() before starting.");

    private void StartOne(IInformer informer, CancellationToken stop)
    {
        _running.GetOrAdd(informer, i => Task.Run(() => i.RunAsync(stop), CancellationToken.None));
    }
}
