using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// Informer caches of every managed kind as <see cref="KubeObject"/>, scoped to objects carrying the state label, so
/// the policy and network controllers read desired-vs-live and find stale objects without a single GET. The runtime's
/// shared factory keys informers by CLR type; one type serving sixteen kinds needs its own informers, kept here.
/// </summary>
public sealed class ObjectCache : IAsyncDisposable
{
    private readonly Dictionary<ResourceKind, Informer<KubeObject>> _informers = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;

    private ObjectCache(ILogger logger) => _logger = logger;

    public IReadOnlyCollection<ResourceKind> Kinds => _informers.Keys;

    public bool HasSynced => _informers.Values.All(i => i.HasSynced);

    /// <summary>
    /// Probes which managed kinds the cluster serves (one cheap list each) and creates an informer for each of them.
    /// ConfigMaps are cached whole in the operator namespace: the driver needs the keys of user ConfigMaps too.
    /// </summary>
    public static async Task<ObjectCache> CreateAsync(IKubernetes client, string operatorNamespace, RuntimeMetrics metrics,
        ILoggerFactory? loggerFactory, TimeProvider time, StartupRetry? retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        var cache = new ObjectCache(factory.CreateLogger("NetworkOperator.Controllers.ObjectCache"));
        foreach (var kind in ManagedKinds.All)
        {
            var resource = new ResourceClient<KubeObject>(client, kind);
            async Task<bool> ServedAsync(CancellationToken ct)
            {
                try
                {
                    await resource.ListAsync(labelSelector: ManagedKinds.StateLabelSelector + "=probe", cancellationToken: ct).ConfigureAwait(false);
                    return true;
                }
                catch (Exception ex) when (ApiErrors.IsNotFound(ex))
                {
                    return false;
                }
            }

            var served = retry is null
                ? await ServedAsync(cancellationToken).ConfigureAwait(false)
                : await retry.RunAsync($"checking whether {kind.Resource} are served", ServedAsync, cancellationToken).ConfigureAwait(false);
            if (!served)
            {
                ControllersLog.KindNotServed(cache._logger, kind.Resource);
                continue;
            }

            var options = kind == ManagedKinds.ConfigMap
                ? new InformerOptions { Namespace = operatorNamespace }
                : new InformerOptions { LabelSelector = ManagedKinds.StateLabelSelector };
            cache._informers[kind] = new Informer<KubeObject>(resource, options, metrics, factory, time);
        }

        return cache;
    }

    public void Start()
    {
        foreach (var informer in _informers.Values)
        {
            _running.Add(Task.Run(() => informer.RunAsync(_stop.Token), CancellationToken.None));
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Values.Select(i => i.WaitForSyncAsync(cancellationToken)));

    public bool Serves(ResourceKind kind) => _informers.ContainsKey(kind);

    public Informer<KubeObject>? InformerFor(ResourceKind kind) => _informers.GetValueOrDefault(kind);

    public KubeObject? Get(ResourceKind kind, string? @namespace, string name) =>
        _informers.TryGetValue(kind, out var informer)
            ? informer.Store.Get(new ObjectKey(kind.Namespaced && !string.IsNullOrEmpty(@namespace) ? @namespace : null, name))
            : null;

    public IReadOnlyList<KubeObject> List(ResourceKind kind, LabelSelector? selector = null, string? @namespace = null) =>
        _informers.TryGetValue(kind, out var informer) ? informer.Store.List(@namespace, selector) : [];

    /// <summary>Puts the result of this process's create into the cache before its watch event (see <see cref="Informer{T}.AssumeCreated"/>).</summary>
    public bool AssumeCreated(ResourceKind kind, KubeObject created) =>
        _informers.TryGetValue(kind, out var informer) && informer.AssumeCreated(created);

    /// <summary>Puts the result of this process's update into the cache before its watch event (see <see cref="Informer{T}.Assume"/>).</summary>
    public bool Assume(ResourceKind kind, KubeObject updated) =>
        _informers.TryGetValue(kind, out var informer) && informer.Assume(updated);

    /// <summary>Every cached object (all kinds) whose controller owner has <paramref name="ownerUid"/>.</summary>
    public IEnumerable<(ResourceKind Kind, KubeObject Object)> ControlledBy(string ownerUid, LabelSelector? selector = null)
    {
        foreach (var (kind, informer) in _informers)
        {
            foreach (var obj in informer.Store.ListByOwner(ownerUid))
            {
                if ((selector is null || selector.Matches(obj.Metadata.Labels))
                    && (obj.Metadata.OwnerReferences ?? []).Any(r => r.Uid == ownerUid && r.Controller == true))
                {
                    yield return (kind, obj);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
