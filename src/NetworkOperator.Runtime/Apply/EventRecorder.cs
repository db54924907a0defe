using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Apply;

/// <summary>
/// Records core/v1 Events about objects, de-duplicated like client-go's event correlator: a repeat of the same
/// (object, type, reason, message) bumps <c>count</c> and <c>lastTimestamp</c> on the existing Event instead of creating
/// a new one, so a hot reconcile loop cannot flood the API server with Events; and aggregated like its event
/// aggregator (<see cref="EventAggregator"/>): many different messages with one reason about one object fold into one
/// combined Event; and Normal events are rate-limited per object like its spam filter (<see cref="EventSpamFilter"/>:
/// a burst of 25, then one per five minutes; the rest are dropped and counted in <see cref="Dropped"/>). Recording never throws:
/// failures are logged, because an Event is diagnostics and must not fail a reconcile.
/// </summary>
public sealed class EventRecorder : IDisposable
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private const int MaxRemembered = 4096;

    private readonly IKubernetes _client;
    private readonly string _component;
    private readonly string? _host;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _recent = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _lru = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly EventAggregator _aggregator;
    private readonly EventSpamFilter _spamFilter;
    private int _dropped;

    public EventRecorder(IKubernetes client, string component, string? host = null, TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(component);
        _client = client;
        _component = component;
        _host = host;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NetworkOperator.Runtime.Events");
        _aggregator = new EventAggregator(_time);
        _spamFilter = new EventSpamFilter(_time);
    }

    /// <summary>Events created and updated so far (for diagnostics and tests).</summary>
    public int Created { get; private set; }

    public int Updated { get; private set; }

    /// <summary>Events not written because their object exceeded the spam filter's rate.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Records an event about <paramref name="involved"/>. Returns the Event as written, or null when the spam filter dropped it or the write failed.</summary>
    public async Task<Corev1Event?> RecordAsync(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var reference = ReferenceTo(involved);
        var objectKey = string.Join('\u0001', reference.Uid, reference.Kind, reference.NamespaceProperty, reference.Name);
        // Only Normal events are rate-limited (client-go limits both): a Warning — a blocked drain, a failed upgrade —
        // must reach the object however busy it has been; Warnings are still de-duplicated and aggregated.
        if (type != Warning && !_spamFilter.Allow(objectKey))
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }

        var aggregateKey = string.Join('\u0001', objectKey, type, reason);
        var key = aggregateKey + '\u0001' + message;
        if (_aggregator.ShouldCombine(aggregateKey, message))
        {
            // One combined Event per (object, type, reason): its count grows and it shows the latest message.
            key = aggregateKey + "\u0001combined";
            message = EventAggregator.CombinedPrefix + message;
        }

        var now = _time.GetUtcNow().UtcDateTime;

        // Serialised so two repeats cannot both create an Event or race on the count.
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Remembered(key);
            if (previous is not null)
            {
                var bumped = KubeObjects.Clone(previous);
                bumped.Count = (bumped.Count ?? 1) + 1;
                bumped.LastTimestamp = now;
                bumped.Message = Truncate(message);
                try
                {
                    var written = await _client.CoreV1.ReplaceNamespacedEventAsync(bumped, bumped.Metadata.Name,
                        bumped.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                    Remember(key, written);
                    Updated++;
                    return written;
                }
                catch (Exception ex) when (ApiErrors.IsNotFound(ex) || ApiErrors.IsConflict(ex))
                {
                    // Expired or edited by someone else: start a new series.
                }
            }

            // Events about cluster-scoped objects live in "default" and keep an empty involvedObject.namespace, as
            // client-go writes them: kubectl describe selects them with involvedObject.namespace= (empty).
            var eventNamespace = string.IsNullOrEmpty(reference.NamespaceProperty) ? "default" : reference.NamespaceProperty;
            var created = await _client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{reference.Name}.{_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000):x}",
                    NamespaceProperty = eventNamespace,
                },
                InvolvedObject = reference,
                Type = type,
                Reason = reason,
                Message = Truncate(message),
                Count = 1,
                FirstTimestamp = now,
                LastTimestamp = now,
                Source = new V1EventSource { Component = _component, Host = _host },
                ReportingComponent = _component,
                ReportingInstance = _host ?? string.Empty,
            }, eventNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            Remember(key, created);
            Created++;
            return created;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RuntimeLog.EventFailed(_logger, ex, reference.Kind, reference.NamespaceProperty, reference.Name, reason);
            return null;
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    private static string Truncate(string message) => message.Length > 1024 ? message[..1024] : message;

    private static V1ObjectReference ReferenceTo(IKubernetesObject<V1ObjectMeta> obj)
    {
        var kind = obj.Kind;
        var apiVersion = obj.ApiVersion;
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            var resource = ResourceKinds.For(obj.GetType());
            kind = resource.Kind;
            apiVersion = resource.ApiVersion;
        }

        return new V1ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = obj.Metadata.Name,
            NamespaceProperty = string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? null : obj.Metadata.NamespaceProperty,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
    }

    private Corev1Event? Remembered(string key)
    {
        lock (_lock)
        {
            if (!_recent.TryGetValue(key, out var node))
            {
                return null;
            }

            _lru.Remove(node);
            _lru.AddFirst(node);
            return node.Value.Event;
        }
    }

    private void Remember(string key, Corev1Event written)
    {
        lock (_lock)
        {
            if (_recent.Remove(key, out var existing))
            {
                _lru.Remove(existing);
            }

            _recent[key] = _lru.AddFirst(new Entry(key, written));
            while (_recent.Count > MaxRemembered && _lru.Last is { } oldest)
            {
                _lru.RemoveLast();
                _recent.Remove(oldest.Value.Key);
            }
        }
    }

    private sealed record Entry(string Key, Corev1Event Event);
}
