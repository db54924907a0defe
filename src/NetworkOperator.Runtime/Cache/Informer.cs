using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// A cache of one kind kept current by list-then-watch (client-go's reflector + indexer + shared informer):
/// <list type="bullet">
/// <item>lists, then watches from the list's resourceVersion with bookmarks, following each event's version;</item>
/// <item>on 410 Expired relists and reconciles the store with the list (adds, updates, deletes), so no object is
/// lost or duplicated;</item>
/// <item>on any other failure re-watches from the last version after a capped, jittered exponential backoff;</item>
/// <item>hands every change to registered handlers with the old and new object.</item>
/// </list>
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly RuntimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _dispatchLock = new();
    private readonly List<IResourceHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private long _relists;
    private long _listPages;
    private long _watchRestarts;
    private int _eventsInLastWatch;
    private LabelSelector? _scope;
    private Prometheus.Counter.Child? _adds;
    private Prometheus.Counter.Child? _updates;
    private Prometheus.Counter.Child? _deletes;
    private Prometheus.Counter.Child? _bookmarks;
    private Prometheus.Gauge.Child? _cached;
    private Prometheus.Gauge.Child? _invalidGauge;
    private readonly Dictionary<ObjectKey, InvalidObject> _invalid = [];

    public Informer(ResourceClient<T> client, InformerOptions? options = null, RuntimeMetrics? metrics = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options?.Clone() ?? new InformerOptions();
        _metrics = metrics ?? new RuntimeMetrics();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NetworkOperator.Runtime.Informer");
        _time = time ?? TimeProvider.System;
    }

    public ResourceKind Kind => _client.Kind;

    // Label lookups per event are measurable at thousands of events per second; resolve each child once.
    private Prometheus.Counter.Child Adds => _adds ??= _metrics.InformerEvents.WithLabels(Kind.Resource, "add");

    private Prometheus.Counter.Child Updates => _updates ??= _metrics.InformerEvents.WithLabels(Kind.Resource, "update");

    private Prometheus.Counter.Child Deletes => _deletes ??= _metrics.InformerEvents.WithLabels(Kind.Resource, "delete");

    private Prometheus.Counter.Child Bookmarks => _bookmarks ??= _metrics.InformerEvents.WithLabels(Kind.Resource, "bookmark");

    private Prometheus.Gauge.Child Cached => _cached ??= _metrics.CachedObjects.WithLabels(Kind.Resource);

    private Prometheus.Gauge.Child InvalidGauge => _invalidGauge ??= _metrics.InvalidObjects.WithLabels(Kind.Resource);

    public InformerOptions Options => _options.Clone();

    public ObjectStore<T> Store { get; } = new();

    public bool HasSynced => _synced.Task.IsCompleted;

    public bool IsRunning => Volatile.Read(ref _running) == 1;

    /// <summary>The resourceVersion the cache is current at (from the last list, event or bookmark).</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>Full lists performed (the first one included).</summary>
    public long Relists => Interlocked.Read(ref _relists);

    /// <summary>List requests made: one per page of every list.</summary>
    public long ListPages => Interlocked.Read(ref _listPages);

    /// <summary>Watches re-opened after an expiry, a failure or a server-side close.</summary>
    public long WatchRestarts => Interlocked.Read(ref _watchRestarts);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Registers a handler. Objects already cached are replayed to it as adds first, under the same lock that
    /// serialises live events, so it sees every object exactly once before any later change.
    /// </summary>
    public IDisposable AddHandler(IResourceHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dispatchLock)
        {
            foreach (var obj in Store.List())
            {
                Safe(obj, () => handler.OnAdd(obj, true));
            }

            _handlers.Add(handler);
        }

        return new Registration(this, handler);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"The informer for {Kind.Resource} is already running.");
        }

        try
        {
            using var resync = StartResync(cancellationToken);
            await ListAndWatchAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReflectorBackoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffResetAfter, _time);
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                }

                var started = _time.GetTimestamp();
                var outcome = await WatchAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _watchRestarts);
                _metrics.WatchRestarts.WithLabels(Kind.Resource, outcome.ToString().ToLowerInvariant()).Inc();
                if (outcome == WatchOutcome.Expired)
                {
                    RuntimeLog.WatchExpired(_logger, Kind.Resource, LastResourceVersion);
                    needList = true;
                }
                else if (outcome == WatchOutcome.Corrupt)
                {
                    needList = true;
                }
                else if (_eventsInLastWatch == 0 && _time.GetElapsedTime(started) < _options.ShortWatch)
                {
                    // Like client-go's "very short watch": a server that closes every watch at once, without a single
                    // event, would otherwise be hammered in a tight loop. Any other close (the watch timed out, the
                    // server restarted or shed load) is normal and the watch is re-opened at once, without backoff.
                    var delay = backoff.NextDelay();
                    RuntimeLog.WatchTooShort(_logger, Kind.Resource, delay);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ApiErrors.IsExpired(ex))
            {
                Interlocked.Increment(ref _watchRestarts);
                _metrics.WatchRestarts.WithLabels(Kind.Resource, "expired").Inc();
                RuntimeLog.WatchExpired(_logger, Kind.Resource, LastResourceVersion);
                needList = true;
            }
            catch (Exception ex)
            {
                var delay = backoff.NextDelay();
                Interlocked.Increment(ref _watchRestarts);
                _metrics.WatchRestarts.WithLabels(Kind.Resource, "error").Inc();
                RuntimeLog.WatchFailed(_logger, Kind.Resource, delay, ApiErrors.Describe(ex));
                RuntimeLog.WatchFailedDetail(_logger, ex, Kind.Resource);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await ListPagesAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _relists);
        _metrics.Relists.WithLabels(Kind.Resource).Inc();
        lock (_dispatchLock)
        {
            // Objects still unreadable at the same version are not reported again; fixed or deleted ones are forgotten.
            var listed = list.Invalid.Select(i => new ObjectKey(Kind.Namespaced ? i.Namespace : null, i.Name ?? string.Empty)).ToHashSet();
            foreach (var key in _invalid.Keys.Where(k => !listed.Contains(k)).ToList())
            {
                _invalid.Remove(key);
            }

            foreach (var invalid in list.Invalid)
            {
                MarkInvalid(invalid);
            }

            InvalidGauge.Set(_invalid.Count);
        }

        Replace(list.Items);
        LastResourceVersion = list.ResourceVersion;
        RuntimeLog.Listed(_logger, Kind.Resource, list.Items.Count, LastResourceVersion);
        if (_synced.TrySetResult())
        {
            RuntimeLog.Synced(_logger, Kind.Resource);
        }
    }

    /// <summary>
    /// Reads the whole list page by page (client-go's pager) and transforms each page's objects before reading the next,
    /// so only one page of full objects and one page of response body are alive at a time. The list's resourceVersion is
    /// the one every page reports (the first page's). When the server has compacted that version before the last page
    /// (410 on a continuation), the list starts over in one response, as client-go's pager does.
    /// </summary>
    private async Task<DecodedList<T>> ListPagesAsync(CancellationToken cancellationToken)
    {
        var pageSize = _options.PageSize;
        while (true)
        {
            var items = new List<T>();
            var invalid = new List<InvalidObject>();
            string? version = null;
            string? next = null;
            var pages = 0;
            try
            {
                do
                {
                    // An unset resourceVersion asks for a consistent (quorum) read, which is what a relist after 410 needs.
                    var page = await _client.ListDecodedAsync(_options.Namespace, _options.LabelSelector, _options.FieldSelector, null,
                        pageSize, next, cancellationToken).ConfigureAwait(false);
                    pages++;
                    Interlocked.Increment(ref _listPages);
                    foreach (var item in page.Items)
                    {
                        items.Add(Transformed(item));
                    }

                    invalid.AddRange(page.Invalid);
                    version = page.ResourceVersion;
                    next = pageSize > 0 ? page.Continue : null;
                }
                while (next is not null);

                return new DecodedList<T>(items, version, invalid);
            }
            catch (Exception ex) when (next is not null && pageSize > 0 && ApiErrors.IsExpired(ex))
            {
                RuntimeLog.ContinueExpired(_logger, Kind.Resource, pages);
                pageSize = 0;
            }
        }
    }

    private async Task<WatchOutcome> WatchAsync(CancellationToken cancellationToken)
    {
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? streamError = null;
        void OnError(Exception ex)
        {
            streamError ??= ex;

            // A Status in the stream (410 Expired and friends) ends this watch; the server closes it anyway. A line that
            // is not a watch event at all ends it too: the client would go on reading and drop every later event until
            // the watch times out, while only a relist can restore what was missed. (An object that does not fit its
            // model is not such a line: it arrives decoded as invalid and is skipped.)
            watchCts.Cancel();
        }

        var timeout = (int)(_options.MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        _eventsInLastWatch = 0;
        try
        {
            await foreach (var decoded in _client.WatchDecodedAsync(LastResourceVersion, OnError, _options.Namespace,
                               _options.LabelSelector, _options.FieldSelector, timeout, watchCts.Token).ConfigureAwait(false))
            {
                _eventsInLastWatch++;
                if (decoded.Invalid is { } invalid)
                {
                    Skip(decoded.Type, invalid);
                    if (!string.IsNullOrEmpty(invalid.ResourceVersion))
                    {
                        LastResourceVersion = invalid.ResourceVersion;
                    }

                    continue;
                }

                var obj = decoded.Value!;
                switch (decoded.Type)
                {
                    case WatchEventType.Added:
                    case WatchEventType.Modified:
                        Apply(obj);
                        break;
                    case WatchEventType.Deleted:
                        Delete(obj);
                        break;
                    case WatchEventType.Bookmark:
                        Bookmarks.Inc();
                        break;
                }

                if (!string.IsNullOrEmpty(obj.Metadata.ResourceVersion))
                {
                    LastResourceVersion = obj.Metadata.ResourceVersion;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && streamError is not null)
        {
        }
        catch (HttpRequestException ex) when (ex.InnerException is EndOfStreamException && !cancellationToken.IsCancellationRequested)
        {
            // KubernetesClient reads a watch's first line before it hands out the response, so a server ending the
            // watch before any event (its timeout with nothing to report, a restart, load shedding) surfaces as this
            // exception. It is a normal close: the watch is re-opened from the last version like any other.
        }

        switch (streamError)
        {
            case null:
                RuntimeLog.WatchClosed(_logger, Kind.Resource, _eventsInLastWatch, LastResourceVersion);
                return WatchOutcome.Closed;
            case var _ when ApiErrors.IsExpired(streamError):
                return WatchOutcome.Expired;
            case KubernetesException:
                throw streamError;
            default:
                // A line that is not a watch event means one change was missed; only a relist restores certainty.
                RuntimeLog.WatchCorrupt(_logger, streamError, Kind.Resource);
                return WatchOutcome.Corrupt;
        }
    }

    /// <summary>
    /// An object that no longer fits its model leaves the cache (readers treat it as absent, as they would a deleted
    /// one) and is reported; it comes back with its first readable version.
    /// </summary>
    private void Skip(WatchEventType type, InvalidObject invalid)
    {
        lock (_dispatchLock)
        {
            var key = new ObjectKey(Kind.Namespaced ? invalid.Namespace : null, invalid.Name ?? string.Empty);
            if (type == WatchEventType.Deleted)
            {
                if (_invalid.Remove(key))
                {
                    InvalidGauge.Set(_invalid.Count);
                }

                return;
            }

            MarkInvalid(invalid);
            if (Store.Remove(key) is { } gone)
            {
                DispatchDelete(gone);
                Cached.Set(Store.Count);
            }
        }
    }

    private void MarkInvalid(InvalidObject invalid)
    {
        var key = new ObjectKey(Kind.Namespaced ? invalid.Namespace : null, invalid.Name ?? string.Empty);
        var known = _invalid.TryGetValue(key, out var previous) && previous.ResourceVersion == invalid.ResourceVersion;
        _invalid[key] = invalid;
        InvalidGauge.Set(_invalid.Count);
        if (known)
        {
            return;
        }

        RuntimeLog.InvalidObject(_logger, Kind.Resource, invalid.Namespace, invalid.Name, invalid.Field, invalid.Problem);
        _metrics.InvalidObjectsSeen.WithLabels(Kind.Resource).Inc();
        if (_options.OnInvalidObject is { } report)
        {
            try
            {
                report(invalid);
            }
            catch (Exception ex)
            {
                RuntimeLog.HandlerFailed(_logger, ex, Kind.Resource, invalid.Namespace, invalid.Name ?? string.Empty);
            }
        }
    }

    /// <summary>Objects of this kind that are stored on the server but do not fit the model, as last seen.</summary>
    public IReadOnlyList<InvalidObject> InvalidObjects
    {
        get
        {
            lock (_dispatchLock)
            {
                return [.. _invalid.Values];
            }
        }
    }

    private void Replace(IList<T> items)
    {
        lock (_dispatchLock)
        {
            var initial = !HasSynced;
            var seen = new HashSet<ObjectKey>();
            for (var i = 0; i < items.Count; i++)
            {
                var obj = items[i];
                var key = ObjectKey.Of(obj);
                seen.Add(key);
                var old = Store.Get(key);
                if (old is not null && old.Metadata.ResourceVersion == obj.Metadata.ResourceVersion)
                {
                    continue;
                }

                Store.Upsert(obj);
                Dispatch(old, obj, initial);
            }

            foreach (var key in Store.Keys())
            {
                if (!seen.Contains(key) && Store.Remove(key) is { } gone)
                {
                    DispatchDelete(gone);
                }
            }

            Cached.Set(Store.Count);
        }
    }

    private T Transformed(T obj) => _options.Transform is { } transform ? (T)transform(obj) : obj;

    /// <summary>
    /// Puts an object a write of this process returned (PATCH, UPDATE, a graceful DELETE) into the store before its
    /// watch event arrives, so a reader of the cache sees its own write at once (controller-runtime users get this by
    /// polling their cache; the scheduler calls it "assume"). Transformed like a watched object and handed to the
    /// handlers as an update; never replaces a copy with a higher resourceVersion, and the watch event of the same
    /// version is later dropped as already known. Only replaces a cached copy, never adds one: an object missing from
    /// the cache may have been deleted (a graceful DELETE's watch events can overtake its response), and no later event
    /// would remove a resurrected copy. Returns false when nothing was stored.
    /// </summary>
    public bool Assume(T written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var obj = Transformed(written);
        lock (_dispatchLock)
        {
            var old = Store.Get(ObjectKey.Of(obj));
            if (old is null || ResourceVersions.IsNotNewer(obj.Metadata.ResourceVersion, old.Metadata.ResourceVersion))
            {
                return false;
            }

            if (!Store.UpsertIfNewer(obj, out old))
            {
                return false;
            }

            Dispatch(old, obj, false);
            Cached.Set(Store.Count);
            return true;
        }
    }

    /// <summary>
    /// Puts an object this process just created (the POST's response) into the store before its watch event arrives,
    /// so the next reconcile finds it instead of creating it again. Safe only while the watch has not yet passed the
    /// object's resourceVersion: then its ADDED event (and any later change or DELETE) is still to come and will
    /// correct the store, while an older copy is never resurrected. Objects outside this cache's scope (namespace,
    /// label selector; any field selector) are never added. Returns false when nothing was stored.
    /// </summary>
    public bool AssumeCreated(T created)
    {
        ArgumentNullException.ThrowIfNull(created);
        var obj = Transformed(created);
        if (!InScope(obj))
        {
            return false;
        }

        lock (_dispatchLock)
        {
            if (!HasSynced || string.IsNullOrEmpty(obj.Metadata.ResourceVersion)
                || !ResourceVersions.IsOlder(LastResourceVersion, obj.Metadata.ResourceVersion))
            {
                return false;
            }

            if (!Store.UpsertIfNewer(obj, out var old))
            {
                return false;
            }

            Dispatch(old, obj, false);
            Cached.Set(Store.Count);
            return true;
        }
    }

    private bool InScope(T obj)
    {
        if (!string.IsNullOrEmpty(_options.FieldSelector))
        {
            return false;
        }

        if (Kind.Namespaced && !string.IsNullOrEmpty(_options.Namespace) && obj.Metadata.NamespaceProperty != _options.Namespace)
        {
            return false;
        }

        return string.IsNullOrEmpty(_options.LabelSelector) || (_scope ??= LabelSelector.Parse(_options.LabelSelector)).Matches(obj.Metadata.Labels);
    }

    /// <summary>
    /// Drops an object this process deleted (the DELETE returned its final copy) before the watch reports it, unless the
    /// cache already holds a newer copy (a re-creation). Handlers see the delete once: the later watch event finds nothing.
    /// </summary>
    public bool AssumeDeleted(T deleted)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        lock (_dispatchLock)
        {
            if (Store.RemoveIfNotNewer(deleted) is not { } old)
            {
                return false;
            }

            DispatchDelete(old);
            Cached.Set(Store.Count);
            return true;
        }
    }

    private void Apply(T watched)
    {
        var obj = Transformed(watched);
        lock (_dispatchLock)
        {
            // A version already in the store was assumed from this process's own write (or is a stale replay).
            var current = Store.Get(ObjectKey.Of(obj));
            if (current is not null && ResourceVersions.IsNotNewer(obj.Metadata.ResourceVersion, current.Metadata.ResourceVersion))
            {
                return;
            }

            var old = Store.Upsert(obj);
            Readable(ObjectKey.Of(obj));
            Dispatch(old, obj, false);
            Cached.Set(Store.Count);
        }
    }

    // A readable version of an object reported invalid before: it is fixed.
    private void Readable(ObjectKey key)
    {
        if (_invalid.Count > 0 && _invalid.Remove(key))
        {
            InvalidGauge.Set(_invalid.Count);
        }
    }

    private void Delete(T obj)
    {
        lock (_dispatchLock)
        {
            Readable(ObjectKey.Of(obj));
            if (Store.Remove(ObjectKey.Of(obj)) is { } old)
            {
                DispatchDelete(obj.Metadata.ResourceVersion is null ? old : Transformed(obj));
            }

            Cached.Set(Store.Count);
        }
    }

    private void Dispatch(T? old, T obj, bool initial)
    {
        (old is null ? Adds : Updates).Inc();
        foreach (var handler in _handlers)
        {
            if (old is null)
            {
                Safe(obj, () => handler.OnAdd(obj, initial));
            }
            else
            {
                Safe(obj, () => handler.OnUpdate(old, obj));
            }
        }
    }

    private void DispatchDelete(T obj)
    {
        Deletes.Inc();
        foreach (var handler in _handlers)
        {
            Safe(obj, () => handler.OnDelete(obj));
        }
    }

    private void Safe(T obj, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            // One broken handler must not stop the cache or starve the other handlers.
            RuntimeLog.HandlerFailed(_logger, ex, Kind.Resource, obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        }
    }

    private ITimer? StartResync(CancellationToken cancellationToken)
    {
        if (_options.ResyncPeriod is not { } period || period <= TimeSpan.Zero)
        {
            return null;
        }

        return _time.CreateTimer(_ =>
        {
            if (cancellationToken.IsCancellationRequested || !HasSynced)
            {
                return;
            }

            lock (_dispatchLock)
            {
                foreach (var obj in Store.List())
                {
                    foreach (var handler in _handlers)
                    {
                        Safe(obj, () => handler.OnUpdate(obj, obj));
                    }
                }
            }
        }, null, period, period);
    }

    private void RemoveHandler(IResourceHandler<T> handler)
    {
        lock (_dispatchLock)
        {
            _handlers.Remove(handler);
        }
    }

    private enum WatchOutcome
    {
        Closed,
        Expired,
        Corrupt,
    }

    private sealed class Registration(Informer<T> informer, IResourceHandler<T> handler) : IDisposable
    {
        public void Dispose() => informer.RemoveHandler(handler);
    }
}
