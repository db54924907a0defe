using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Apply;

/// <summary>
/// Create-or-update keyed by a revision annotation, and status writes only when the status changed. The live object
/// is read from the cache when its kind is cached (no GET round trip); the write is skipped when the live object
/// already carries the desired revision, so a steady-state reconcile performs no writes at all.
/// Updates carry the live <c>resourceVersion</c>: a stale cache surfaces as 409 Conflict, which the caller returns so
/// the queue retries after the cache caught up.
/// </summary>
public sealed class ObjectApplier
{
    private readonly IKubernetes _client;
    private readonly ICacheReader? _cache;
    private readonly string _revisionAnnotation;
    private readonly string? _fieldManager;
    private readonly ILogger _logger;

    /// <param name="client">The API client.</param>
    /// <param name="cache">The cache to read live objects from; kinds it does not cache are read with a GET.</param>
    /// <param name="revisionAnnotation">The annotation carrying the revision, e.g. <c>nvidia.network-operator.revision</c>.</param>
    /// <param name="fieldManager">The field manager name sent with writes.</param>
    /// <param name="loggerFactory">Logging.</param>
    public ObjectApplier(IKubernetes client, ICacheReader? cache, string revisionAnnotation, string? fieldManager = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(revisionAnnotation);
        _client = client;
        _cache = cache;
        _revisionAnnotation = revisionAnnotation;
        _fieldManager = fieldManager;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NetworkOperator.Runtime.Apply");
    }

    public string RevisionAnnotation => _revisionAnnotation;

    /// <summary>
    /// Makes the server hold <paramref name="desired"/>. The revision is the annotation already on
    /// <paramref name="desired"/> if the caller set one, otherwise a hash of it. <paramref name="desired"/> is not modified.
    /// </summary>
    public async Task<ApplyResult<T>> ApplyAsync<T>(T desired, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        var client = new ResourceClient<T>(_client);
        var obj = KubeObjects.Clone(desired);
        obj.Metadata ??= new V1ObjectMeta();
        var revision = obj.GetAnnotation(_revisionAnnotation);
        if (string.IsNullOrEmpty(revision))
        {
            revision = KubeObjects.Revision(obj, _revisionAnnotation);
            obj.SetAnnotation(_revisionAnnotation, revision);
        }

        var live = await ReadLiveAsync(client, obj.Metadata.NamespaceProperty, obj.Metadata.Name, cancellationToken)
            .ConfigureAwait(false);
        if (live is null)
        {
            try
            {
                obj.Metadata.ResourceVersion = null;
                var created = await client.CreateAsync(obj, _fieldManager, cancellationToken).ConfigureAwait(false);
                RuntimeLog.Created(_logger, client.Kind.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name);
                return new ApplyResult<T>(ApplyOutcome.Created, created, revision);
            }
            catch (Exception ex) when (ApiErrors.IsConflict(ex))
            {
                // The cache had not seen it yet: compare with the server's copy instead.
                live = await client.GetAsync(obj.Metadata.NamespaceProperty, obj.Metadata.Name, cancellationToken)
                    .ConfigureAwait(false);
                if (live is null)
                {
                    throw;
                }
            }
        }

        if (live.GetAnnotation(_revisionAnnotation) == revision)
        {
            return new ApplyResult<T>(ApplyOutcome.Unchanged, live, revision);
        }

        obj.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
        var updated = await client.ReplaceAsync(obj, _fieldManager, cancellationToken).ConfigureAwait(false);
        RuntimeLog.Updated(_logger, client.Kind.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name, revision);
        return new ApplyResult<T>(ApplyOutcome.Updated, updated, revision);
    }

    /// <summary>
    /// Writes <paramref name="obj"/>'s status through the status subresource when it differs from the live status;
    /// returns false (no request) when it is the same.
    /// </summary>
    public async Task<bool> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var client = new ResourceClient<T>(_client);
        var live = await ReadLiveAsync(client, obj.Metadata.NamespaceProperty, obj.Metadata.Name, cancellationToken)
            .ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Cannot write the status of {client.Kind.Kind} {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}: it does not exist.");
        if (JsonNode.DeepEquals(KubeObjects.StatusOf(live), KubeObjects.StatusOf(obj)))
        {
            return false;
        }

        var write = KubeObjects.Clone(obj);
        write.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
        await client.ReplaceStatusAsync(write, _fieldManager, cancellationToken).ConfigureAwait(false);
        RuntimeLog.StatusUpdated(_logger, client.Kind.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        return true;
    }

    /// <summary>Deletes the object if the cache (or server) still has it; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync<T>(string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var client = new ResourceClient<T>(_client);
        if (_cache is not null && _cache.IsCached<T>() && _cache.Get<T>(@namespace, name) is null)
        {
            return false;
        }

        return await client.DeleteAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> ReadLiveAsync<T>(ResourceClient<T> client, string? @namespace, string name,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (_cache is not null && _cache.IsCached<T>())
        {
            return _cache.Get<T>(@namespace, name);
        }

        return await client.GetAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
    }
}
