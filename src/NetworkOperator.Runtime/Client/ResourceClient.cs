using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Api;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// Typed CRUD, list and watch for one kind through KubernetesClient's generic custom-object operations, which
/// serve built-in kinds too (an empty group maps to <c>/api/v1</c>).
/// </summary>
public sealed class ResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetes _client;

    public ResourceClient(IKubernetes client, ResourceKind? kind = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        Kind = kind ?? ResourceKinds.For<T>();
    }

    public ResourceKind Kind { get; }

    /// <summary>What <see cref="ListDecodedAsync"/> and <see cref="WatchDecodedAsync"/> decode of each object; null: all of it.</summary>
    public JsonShape? Shape { get; init; }

    private ICustomObjectsOperations Ops => _client.CustomObjects;

    public async Task<ObjectList<T>> ListAsync(string? @namespace = null, string? labelSelector = null,
        string? fieldSelector = null, string? resourceVersion = null, CancellationToken cancellationToken = default)
    {
        using var response = Kind.Namespaced && !string.IsNullOrEmpty(@namespace)
            ? await Ops.ListNamespacedCustomObjectWithHttpMessagesAsync<ObjectList<T>>(Kind.Group, Kind.Version, @namespace,
                Kind.Plural, fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion,
                cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Ops.ListClusterCustomObjectWithHttpMessagesAsync<ObjectList<T>>(Kind.Group, Kind.Version, Kind.Plural,
                fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>
    /// Streams watch events from <paramref name="resourceVersion"/>. Status objects in the stream (for example 410
    /// Expired) arrive through <paramref name="onError"/>.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string? resourceVersion, Action<Exception> onError,
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, int? timeoutSeconds = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Kind.Namespaced && !string.IsNullOrEmpty(@namespace)
            ? Ops.ListNamespacedCustomObjectWithHttpMessagesAsync<object>(Kind.Group, Kind.Version, @namespace, Kind.Plural,
                allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true,
                cancellationToken: cancellationToken)
            : Ops.ListClusterCustomObjectWithHttpMessagesAsync<object>(Kind.Group, Kind.Version, Kind.Plural,
                allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true,
                cancellationToken: cancellationToken);
        // The non-obsolete WatchList*CustomObjectAsync yields untyped objects; converting each one again would double
        // the deserialisation cost per event, so the typed (obsolete-marked) stream is used deliberately.
#pragma warning disable CS0618
        var events = request.WatchAsync<T, object>(onError, cancellationToken);
#pragma warning restore CS0618
        await foreach (var item in events.ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Lists like <see cref="ListAsync"/> but decodes each item on its own: an item that does not fit the model is
    /// returned in <see cref="DecodedList{T}.Invalid"/> instead of failing the whole list. With a <paramref name="limit"/>
    /// it reads one page (the first, or the one <paramref name="continueToken"/> names); the result's
    /// <see cref="DecodedList{T}.Continue"/> names the next.
    /// </summary>
    public async Task<DecodedList<T>> ListDecodedAsync(string? @namespace = null, string? labelSelector = null,
        string? fieldSelector = null, string? resourceVersion = null, int? limit = null, string? continueToken = null,
        CancellationToken cancellationToken = default)
    {
        var pageLimit = limit is > 0 ? limit : null;
        var next = string.IsNullOrEmpty(continueToken) ? null : continueToken;
        using var response = Kind.Namespaced && !string.IsNullOrEmpty(@namespace)
            ? await Ops.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonDocument>(Kind.Group, Kind.Version, @namespace,
                Kind.Plural, continueParameter: next, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: pageLimit,
                resourceVersion: resourceVersion, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Ops.ListClusterCustomObjectWithHttpMessagesAsync<JsonDocument>(Kind.Group, Kind.Version, Kind.Plural,
                continueParameter: next, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: pageLimit,
                resourceVersion: resourceVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var document = response.Body;
        var root = document.RootElement;
        string? version = null;
        string? following = null;
        if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            if (meta.TryGetProperty("resourceVersion", out var rv) && rv.ValueKind == JsonValueKind.String)
            {
                version = rv.GetString();
            }

            if (meta.TryGetProperty("continue", out var more) && more.ValueKind == JsonValueKind.String && more.GetString() is { Length: > 0 } token)
            {
                following = token;
            }
        }

        var items = new List<T>();
        var invalid = new List<InvalidObject>();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            items.Capacity = array.GetArrayLength();
            foreach (var item in array.EnumerateArray())
            {
                if (Decode(item, out var obj) is { } error)
                {
                    invalid.Add(error);
                }
                else
                {
                    items.Add(obj!);
                }
            }
        }

        return new DecodedList<T>(items, version, invalid, following);
    }

    /// <summary>
    /// Streams watch events like <see cref="WatchAsync"/>, decoding each object on its own: an object that does not fit
    /// the model arrives as <see cref="DecodedEvent{T}.Invalid"/> and the watch goes on. Status objects in the stream
    /// (410 Expired and friends) and transport failures arrive through <paramref name="onError"/>.
    /// </summary>
    public async IAsyncEnumerable<DecodedEvent<T>> WatchDecodedAsync(string? resourceVersion, Action<Exception> onError,
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, int? timeoutSeconds = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Kind.Namespaced && !string.IsNullOrEmpty(@namespace)
            ? Ops.ListNamespacedCustomObjectWithHttpMessagesAsync<object>(Kind.Group, Kind.Version, @namespace, Kind.Plural,
                allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true,
                cancellationToken: cancellationToken)
            : Ops.ListClusterCustomObjectWithHttpMessagesAsync<object>(Kind.Group, Kind.Version, Kind.Plural,
                allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true,
                cancellationToken: cancellationToken);
        // The object of each event is taken as a document and decoded here, so a bad object is one skipped event, not
        // an error that ends the watch (the client reports a line it cannot decode and drops it without saying which).
#pragma warning disable CS0618
        var events = request.WatchAsync<JsonDocument, object>(onError, cancellationToken);
#pragma warning restore CS0618
        await foreach (var (type, document) in events.ConfigureAwait(false))
        {
            if (document is null)
            {
                continue;
            }

            using (document)
            {
                yield return Decode(document.RootElement, out var obj) is { } invalid
                    ? new DecodedEvent<T>(type, null, invalid)
                    : new DecodedEvent<T>(type, obj, null);
            }
        }
    }

    private InvalidObject? Decode(JsonElement raw, out T? obj)
    {
        try
        {
            obj = Shape is null ? KubernetesJson.Deserialize<T>(raw) : Shape.Deserialize<T>(raw);
            return obj?.Metadata is null ? InvalidObject.From(Kind, raw, new JsonException("the object has no metadata")) : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            obj = null;
            return InvalidObject.From(Kind, raw, ex);
        }
    }

    /// <summary>Reads one object from the server; null when it does not exist.</summary>
    public async Task<T?> GetAsync(string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = Kind.Namespaced
                ? await Ops.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(Kind.Group, Kind.Version, RequireNamespace(@namespace),
                    Kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await Ops.GetClusterCustomObjectWithHttpMessagesAsync<T>(Kind.Group, Kind.Version, Kind.Plural, name,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Body;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<T> CreateAsync(T obj, string? fieldManager = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Stamp(obj);
        using var response = Kind.Namespaced
            ? await Ops.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, Kind.Group, Kind.Version,
                RequireNamespace(obj.Metadata.NamespaceProperty), Kind.Plural, fieldManager: fieldManager,
                cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Ops.CreateClusterCustomObjectWithHttpMessagesAsync<T>(obj, Kind.Group, Kind.Version, Kind.Plural,
                fieldManager: fieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>Replaces the object; its <c>resourceVersion</c> makes the write conditional (409 when stale).</summary>
    public async Task<T> ReplaceAsync(T obj, string? fieldManager = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Stamp(obj);
        using var response = Kind.Namespaced
            ? await Ops.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<T>(obj, Kind.Group, Kind.Version,
                RequireNamespace(obj.Metadata.NamespaceProperty), Kind.Plural, obj.Metadata.Name, fieldManager: fieldManager,
                cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Ops.ReplaceClusterCustomObjectWithHttpMessagesAsync<T>(obj, Kind.Group, Kind.Version, Kind.Plural,
                obj.Metadata.Name, fieldManager: fieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>Writes only the status subresource.</summary>
    public async Task<T> ReplaceStatusAsync(T obj, string? fieldManager = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Stamp(obj);
        using var response = Kind.Namespaced
            ? await Ops.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(obj, Kind.Group, Kind.Version,
                RequireNamespace(obj.Metadata.NamespaceProperty), Kind.Plural, obj.Metadata.Name, fieldManager: fieldManager,
                cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Ops.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<T>(obj, Kind.Group, Kind.Version, Kind.Plural,
                obj.Metadata.Name, fieldManager: fieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>Deletes the object; returns false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = Kind.Namespaced
                ? await Ops.DeleteNamespacedCustomObjectWithHttpMessagesAsync<object>(Kind.Group, Kind.Version,
                    RequireNamespace(@namespace), Kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await Ops.DeleteClusterCustomObjectWithHttpMessagesAsync<object>(Kind.Group, Kind.Version, Kind.Plural, name,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    // The generic operations send the body as is; typed models built in code often lack apiVersion/kind.
    private void Stamp(T obj)
    {
        obj.ApiVersion ??= Kind.ApiVersion;
        obj.Kind ??= Kind.Kind;
        if (string.IsNullOrEmpty(obj.ApiVersion))
        {
            obj.ApiVersion = Kind.ApiVersion;
        }

        if (string.IsNullOrEmpty(obj.Kind))
        {
            obj.Kind = Kind.Kind;
        }
    }

    private string RequireNamespace(string? @namespace) =>
        string.IsNullOrEmpty(@namespace)
            ? throw new ArgumentException($"{Kind.Kind} is namespaced; the object needs a namespace.", nameof(@namespace))
            : @namespace;
}
