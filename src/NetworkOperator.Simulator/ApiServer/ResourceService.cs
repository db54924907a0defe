using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Lifecycle;
using NetworkOperator.Simulator.Patch;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Selectors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;
using NetworkOperator.Simulator.Watch;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The API server's behaviour without HTTP: every verb with the real server's semantics (defaulting, validation,
/// admission, optimistic concurrency, finalizers, status subresource, generation). The HTTP layer is a thin adapter
/// over this class, and in-process components (simulated kubelet, controllers) use it directly so they go through
/// the same paths as any client.
/// </summary>
public sealed class ResourceService
{
    private const int MaxConflictRetries = 16;
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly List<IAdmissionStep> _admission = [];

    internal ResourceService(ResourceRegistry registry, ObjectStore store, TimeProvider time, SimulatedApiServerOptions options)
    {
        Registry = registry;
        _store = store;
        _time = time;
        Options = options;
    }

    public ResourceRegistry Registry { get; }

    public SimulatedApiServerOptions Options { get; }

    public TimeProvider Time => _time;

    /// <summary>The newest resourceVersion handed out.</summary>
    public long CurrentResourceVersion => _store.Revision;

    internal ObjectStore Store => _store;

    /// <summary>Adds a step to the write path (defaulting, validation, webhooks); mutating steps run first.</summary>
    public void AddAdmissionStep(IAdmissionStep step)
    {
        lock (_admission)
        {
            _admission.Add(step);
        }
    }

    public ResourceType ResolveType(GroupVersionResource gvr) =>
        Registry.Find(gvr.Group, gvr.Version, gvr.Resource) ?? throw ApiErrors.UnknownResource();

    public ResourceType ResolveKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return Registry.FindByKind(group, version, kind) ?? throw ApiErrors.UnknownResource();
    }

    // ---- reads ----

    public StoredObject? TryGet(ResourceType type, string? ns, string name) => _store.Get(type.StorageKey, Scope(type, ns), name);

    public StoredObject Get(ResourceType type, string? ns, string name) => TryGet(type, ns, name) ?? throw ApiErrors.NotFound(type, name);

    public ListResult List(ResourceType type, string? ns, ListOptions? options = null)
    {
        options ??= new ListOptions();
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector, type);
        (long Revision, string LastKey)? continued = options.Continue is { Length: > 0 } token ? ContinueToken.Decode(token) : null;
        var scope = type.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null;
        var exactName = fields.ExactName;
        var (items, revision, hasMore, remaining) = _store.List(type.StorageKey, scope,
            o => (exactName is null || o.Name == exactName) && (labels.IsEmpty || labels.Matches(o.Labels))
                 && (fields.IsEmpty || fields.Matches(o.FieldValue)),
            options.Limit, continued?.LastKey, continued?.Revision);
        var next = hasMore && items.Count > 0 ? ContinueToken.Encode(revision, items[^1].Key) : null;
        return new ListResult(items, revision, next, hasMore ? remaining : null);
    }

    public WatchSubscription Watch(ResourceType type, string? ns, WatchOptions? options = null)
    {
        options ??= new WatchOptions();
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector, type);
        long? from = null;
        var sendInitial = options.SendInitialEvents;
        if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
        {
            if (!long.TryParse(options.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                throw new ApiException(400, "BadRequest", $"Invalid value: \"{options.ResourceVersion}\": resourceVersion must be a number",
                    kind: type.Plural);
            }

            from = rv;
        }

        var scope = type.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null;
        var watcher = _store.Watch(type.StorageKey, scope, labels, fields, from, sendInitial, out var start, out var initial);
        return new WatchSubscription(this, type, watcher, initial, start, options);
    }

    internal void RequestBookmark(Watcher watcher, ResourceType type, bool initialEventsEnd) =>
        _store.Bookmark(watcher, type, revision => Bookmarks.Build(type, revision, initialEventsEnd));

    // ---- writes ----

    public async Task<StoredObject> CreateAsync(ResourceType type, string? ns, JsonObject obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var scope = Scope(type, ns);
        var metadata = obj.Metadata();
        NormalizeTypeMeta(type, obj);
        UnknownFields.CheckBody(type, obj, options);
        var bodyNamespace = metadata.GetString("namespace");
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNamespace) && scope.Length > 0 && bodyNamespace != scope)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            scope = scope.Length > 0 ? scope : bodyNamespace ?? "";
            if (scope.Length == 0)
            {
                throw ApiErrors.Invalid(type, metadata.GetString("name") ?? "", "metadata.namespace", "FieldValueRequired", "Required value");
            }

            metadata["namespace"] = scope;
        }
        else
        {
            metadata.Remove("namespace");
        }

        var name = metadata.GetString("name");
        string? generatedFrom = null;
        if (string.IsNullOrEmpty(name))
        {
            var generateName = metadata.GetString("generateName");
            if (string.IsNullOrEmpty(generateName))
            {
                throw ApiErrors.Invalid(type, "", "metadata.name", "FieldValueRequired", "Required value: name or generateName is required");
            }

            name = generateName + RandomSuffix();
            metadata["name"] = name;
            generatedFrom = generateName;
        }

        if (type.Namespaced)
        {
            EnsureNamespaceAcceptsContent(type, scope, name);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp.Format(_time.GetUtcNow());
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        if (type.TracksGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (type.HasStatusSubresource && !type.KeepsStatusOnCreate)
        {
            obj.Remove("status");
        }

        Strategies.PrepareForCreate(type, obj, _time.GetUtcNow());
        await AdmitAsync(new AdmissionContext
        {
            Type = type, Operation = "CREATE", Namespace = scope, Name = name, Object = obj, Options = options, GeneratedFrom = generatedFrom,
        }, cancellationToken);

        if (options.DryRun)
        {
            return StoredObject.Create(type, obj, 0);
        }

        var stored = _store.Commit(type, scope, name, 0, obj);
        if (type.Kind == "CustomResourceDefinition" && type.Group == "apiextensions.k8s.io")
        {
            stored = await CustomResourceDefinitions.OnCreatedOrUpdatedAsync(this, stored, cancellationToken);
        }

        return stored;
    }

    /// <summary>PUT of the main resource (status is kept for types with a status subresource).</summary>
    public Task<StoredObject> UpdateAsync(ResourceType type, string? ns, JsonObject obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ReplaceAsync(type, ns, obj, null, options, null, cancellationToken);

    /// <summary>PUT of the status subresource: only status changes.</summary>
    public Task<StoredObject> UpdateStatusAsync(ResourceType type, string? ns, JsonObject obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ReplaceAsync(type, ns, obj, "status", options, null, cancellationToken);

    public Task<StoredObject> ReplaceAsync(ResourceType type, string? ns, JsonObject obj, string? subresource,
        WriteOptions? options = null, string? nameFromUrl = null, CancellationToken cancellationToken = default)
    {
        var metadata = obj.Metadata();
        NormalizeTypeMeta(type, obj);
        UnknownFields.CheckBody(type, obj, options ?? WriteOptions.Default);
        var name = metadata.GetString("name") ?? "";
        var scope = Scope(type, ns ?? metadata.GetString("namespace"));
        CheckNameAndNamespace(type, metadata, nameFromUrl, scope);
        if (name.Length == 0)
        {
            throw ApiErrors.Invalid(type, "", "metadata.name", "FieldValueRequired", "Required value: name is required");
        }

        var precondition = ResourceVersionPrecondition(type, name, metadata.GetString("resourceVersion"));
        if (precondition == 0 && !type.AllowsUnconditionalUpdate)
        {
            throw ApiErrors.Invalid(type, name, "metadata.resourceVersion", "FieldValueInvalid",
                "Invalid value: 0: must be specified for an update");
        }

        return GuaranteedUpdateAsync(type, scope, name, precondition, subresource, options ?? WriteOptions.Default,
            (_, _) => obj.DeepClone().AsObject(), cancellationToken, metadata.GetString("uid"));
    }

    /// <summary>The resourceVersion an update body carries as its precondition (0: none); anything but a number is refused.</summary>
    internal static long ResourceVersionPrecondition(ResourceType type, string name, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw ApiErrors.Invalid(type, name, "metadata.resourceVersion", "FieldValueInvalid", $"Invalid value: \"{text}\": must be a number");
    }

    /// <summary>
    /// The handlers' checks of an update's or a patch result's metadata against the URL: a namespace that differs is
    /// refused (a missing one is the request's), then the name must be the URL's, an empty one included.
    /// </summary>
    internal static void CheckNameAndNamespace(ResourceType type, JsonObject metadata, string? nameFromUrl, string scope)
    {
        var bodyNamespace = metadata.GetString("namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != scope)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var name = metadata.GetString("name") ?? "";
        if (nameFromUrl is not null && name != nameFromUrl)
        {
            throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({nameFromUrl})");
        }
    }

    public Task<StoredObject> PatchAsync(ResourceType type, string? ns, string name, PatchType patchType, JsonNode? patch,
        string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var scope = Scope(type, ns);
        if (patchType == PatchType.Apply)
        {
            return ServerSideApply.ApplyAsync(this, type, scope, name, patch, subresource, options, cancellationToken);
        }

        long precondition = 0;
        if (patch is JsonObject patchObject && patchObject["metadata"] is JsonObject pm && pm.GetString("resourceVersion") is { Length: > 0 } rv
            && long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            precondition = parsed;
        }

        return GuaranteedUpdateAsync(type, scope, name, precondition, subresource, options, (current, _) =>
        {
            var result = patchType switch
            {
                PatchType.Json => JsonPatch.Apply(current, patch),
                PatchType.StrategicMerge => StrategicMergePatch.Apply(current, patch),
                _ => MergePatch.Apply(current, patch),
            };
            if (result is not JsonObject patched)
            {
                throw ApiErrors.BadRequest("the patch did not produce an object");
            }

            UnknownFields.CheckPatched(type, patched, patchType, patch, options);
            CheckNameAndNamespace(type, patched.Metadata(), name, scope);
            return patched;
        }, cancellationToken);
    }

    public async Task<DeleteResult> DeleteAsync(ResourceType type, string? ns, string name, DeleteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= DeleteOptions.Default;
        var scope = Scope(type, ns);
        for (var attempt = 0; ; attempt++)
        {
            var current = _store.Get(type.StorageKey, scope, name) ?? throw ApiErrors.NotFound(type, name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
            {
                throw ApiErrors.ConflictWithMessage(type, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            if (options.PreconditionResourceVersion is { Length: > 0 } prv
                && prv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiErrors.ConflictWithMessage(type, name,
                    $"Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {current.ResourceVersion}");
            }

            var obj = current.ToJsonObject();
            await AdmitAsync(new AdmissionContext
            {
                Type = type, Operation = "DELETE", Namespace = scope, Name = name, Object = obj, OldObject = obj,
                Options = new WriteOptions { DryRun = options.DryRun },
            }, cancellationToken);

            var metadata = obj.Metadata();
            var finalizers = metadata["finalizers"] as JsonArray ?? [];
            var policy = options.PropagationPolicy;
            var changed = false;
            if (policy == "Orphan" && AddFinalizer(metadata, Finalizers.Orphan))
            {
                changed = true;
            }
            else if (policy == "Foreground" && AddFinalizer(metadata, Finalizers.ForegroundDeletion))
            {
                changed = true;
            }

            finalizers = metadata["finalizers"] as JsonArray ?? [];
            var graceful = Strategies.NeedsGracefulDeletion(type, obj, options, Options);
            if (finalizers.Count == 0 && !graceful)
            {
                if (options.DryRun)
                {
                    return new DeleteResult(current, true);
                }

                try
                {
                    var deleted = _store.Commit(type, scope, name, current.ResourceVersion, null);
                    return new DeleteResult(deleted, true);
                }
                catch (ApiException ex) when (ex.Code == 409 && attempt < MaxConflictRetries)
                {
                    continue;
                }
            }

            // As the real server: a graceful deletion's timestamp is the deadline (now + grace), not the request time,
            // and a later delete with a shorter grace period brings the deadline forward.
            var grace = graceful ? options.GracePeriodSeconds ?? Strategies.GracePeriodOf(obj) : 0;
            var deadline = Timestamp.Format(_time.GetUtcNow().AddSeconds(grace));
            if (metadata["deletionTimestamp"] is not null && graceful && grace < (metadata["deletionGracePeriodSeconds"].GetInt64() ?? 0))
            {
                metadata["deletionTimestamp"] = deadline;
                metadata["deletionGracePeriodSeconds"] = grace;
                changed = true;
            }

            if (metadata["deletionTimestamp"] is null)
            {
                metadata["deletionTimestamp"] = deadline;
                metadata["deletionGracePeriodSeconds"] = grace;
                if (type.TracksGeneration)
                {
                    metadata["generation"] = (metadata["generation"].GetInt64() ?? 0) + 1;
                }

                Strategies.PrepareForDeletion(type, obj);
                changed = true;
            }

            if (!changed || options.DryRun)
            {
                return new DeleteResult(current, false);
            }

            try
            {
                var marked = _store.Commit(type, scope, name, current.ResourceVersion, obj);
                return new DeleteResult(marked, false);
            }
            catch (ApiException ex) when (ex.Code == 409 && attempt < MaxConflictRetries)
            {
            }
        }
    }

    /// <summary>Deletes every object of a type in a namespace (or cluster-wide) matching the list options.</summary>
    public async Task<IReadOnlyList<StoredObject>> DeleteCollectionAsync(ResourceType type, string? ns, ListOptions? listOptions,
        DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var deleted = new List<StoredObject>();
        foreach (var item in List(type, ns, (listOptions ?? new ListOptions()) with { Limit = 0, Continue = null }).Items)
        {
            try
            {
                deleted.Add((await DeleteAsync(type, item.Namespace, item.Name, options, cancellationToken)).Object);
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
            }
        }

        return deleted;
    }

    /// <summary>
    /// Read-modify-write with the real server's retry rules: a caller precondition (resourceVersion) that no longer
    /// matches is a 409; without one, races with other writers are retried against the fresh object.
    /// </summary>
    internal async Task<StoredObject> GuaranteedUpdateAsync(ResourceType type, string scope, string name, long precondition,
        string? subresource, WriteOptions options, Func<JsonObject, StoredObject, JsonObject> mutate,
        CancellationToken cancellationToken, string? uidPrecondition = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = _store.Get(type.StorageKey, scope, name) ?? throw ApiErrors.NotFound(type, name);
            // A PUT body's UID is a precondition, checked by storage before the resourceVersion.
            if (!string.IsNullOrEmpty(uidPrecondition) && uidPrecondition != current.Uid)
            {
                throw ApiErrors.ConflictWithMessage(type, name,
                    $"Precondition failed: UID in precondition: {uidPrecondition}, UID in object meta: {current.Uid}");
            }

            if (precondition != 0 && precondition != current.ResourceVersion)
            {
                throw ApiErrors.Conflict(type, name);
            }

            var old = current.ToJsonObject();
            var desired = mutate(current.ToJsonObject(), current);
            var obj = Strategies.PrepareForUpdate(type, old, desired, subresource, name, scope);
            if (JsonNode.DeepEquals(obj, old))
            {
                return current;
            }

            await AdmitAsync(new AdmissionContext
            {
                Type = type, Operation = "UPDATE", Namespace = scope, Name = name, Object = obj, OldObject = old,
                Subresource = subresource, Options = options,
            }, cancellationToken);

            // Defaulting may turn a change back into a no-op (the client sent what the server had defaulted).
            if (JsonNode.DeepEquals(obj, old))
            {
                return current;
            }

            if (options.DryRun)
            {
                return StoredObject.Create(type, obj, current.ResourceVersion);
            }

            try
            {
                StoredObject stored;
                if (Strategies.IsReadyToRemove(type, obj))
                {
                    stored = _store.Commit(type, scope, name, current.ResourceVersion, null);
                }
                else
                {
                    stored = _store.Commit(type, scope, name, current.ResourceVersion, obj);
                    if (type.Kind == "CustomResourceDefinition" && type.Group == "apiextensions.k8s.io" && subresource is null)
                    {
                        stored = await CustomResourceDefinitions.OnCreatedOrUpdatedAsync(this, stored, cancellationToken);
                    }
                }

                return stored;
            }
            catch (ApiException ex) when (ex.Code == 409 && precondition == 0 && attempt < MaxConflictRetries)
            {
            }
        }
    }

    internal async ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        IAdmissionStep[] steps;
        lock (_admission)
        {
            steps = [.. _admission.Where(s => s.IsMutating), .. _admission.Where(s => !s.IsMutating)];
        }

        foreach (var step in steps)
        {
            await step.AdmitAsync(context, cancellationToken);
        }
    }

    private void EnsureNamespaceAcceptsContent(ResourceType type, string ns, string name)
    {
        var nsType = Registry.Find("", "v1", "namespaces")!;
        var stored = _store.Get(nsType.StorageKey, "", ns) ?? throw ApiErrors.NamespaceNotFound(ns);
        if (stored.IsDeleting)
        {
            throw ApiErrors.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private static bool AddFinalizer(JsonObject metadata, string finalizer)
    {
        if (metadata["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            metadata["finalizers"] = finalizers;
        }

        if (finalizers.Any(f => f?.ToString() == finalizer))
        {
            return false;
        }

        finalizers.Add(finalizer);
        return true;
    }

    private static string Scope(ResourceType type, string? ns) => type.Namespaced ? ns ?? "" : "";

    internal static void NormalizeTypeMeta(ResourceType type, JsonObject obj)
    {
        var apiVersion = obj.GetString("apiVersion");
        var kind = obj.GetString("kind");
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        // kind and apiVersion first, as the real server writes them.
        var rest = obj.ToList();
        obj.Clear();
        obj["kind"] = type.Kind;
        obj["apiVersion"] = type.ApiVersion;
        foreach (var (key, value) in rest)
        {
            if (key is not ("kind" or "apiVersion"))
            {
                obj[key] = value;
            }
        }

        if (obj["metadata"] is not JsonObject)
        {
            obj["metadata"] = new JsonObject();
        }
    }

    internal static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
