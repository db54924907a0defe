using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using NetworkOperator.Simulator.Admission.Quota;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;
using NetworkOperator.Simulator.Watch;

namespace NetworkOperator.Simulator.Lifecycle;

/// <summary>
/// The control-plane loops a real cluster runs beside the API server, driven by storage events: the garbage
/// collector (background, foreground and orphan propagation through ownerReferences), the namespace controller
/// (deleting a Terminating namespace's content, then finalizing it), CRD cleanup (custom resources go with their
/// definition), PodDisruptionBudget status, ResourceQuota status (<see cref="ResourceQuotaUsage"/>), and each
/// namespace's default ServiceAccount and root CA ConfigMap (<see cref="NamespaceDefaultObjects"/>). Runs on one background task; nothing here blocks a request.
/// </summary>
internal sealed class LifecycleController : IAsyncDisposable
{
    private readonly ResourceService _service;
    private readonly string? _caPem;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _foregroundOwners = new(StringComparer.Ordinal);

    // Namespaces whose budgets are queued for a recompute: a burst of pod changes (a drain, a rollout) costs one
    // recompute per namespace per turn of the loop, as the disruption controller's work queue dedupes its keys.
    private readonly ConcurrentDictionary<string, byte> _budgetsPending = new(StringComparer.Ordinal);

    // Namespaces holding ResourceQuotas, and those whose quotas are queued for a recount (deduped as budgets are).
    private readonly ConcurrentDictionary<string, byte> _quotaNamespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _quotasPending = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private long _pending;

    /// <param name="service">The server whose storage events drive the loops.</param>
    /// <param name="caPem">The cluster CA for each namespace's root CA ConfigMap; null keeps namespaces without defaults.</param>
    public LifecycleController(ResourceService service, string? caPem)
    {
        _service = service;
        _caPem = caPem;
        service.Store.Committed += OnCommitted;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Work items queued or running; zero means the loops have caught up.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public async ValueTask DisposeAsync()
    {
        _service.Store.Committed -= OnCommitted;
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void OnCommitted(string storageKey, WatchEvent change)
    {
        var obj = change.Object;
        if (change.Type == WatchEventType.Deleted)
        {
            Enqueue(new Work(WorkKind.CollectDependents, storageKey, obj.Namespace, obj.Name, obj.Uid));
            foreach (var owner in obj.OwnerUids)
            {
                Enqueue(new Work(WorkKind.ForegroundOwner, "", "", "", owner));
            }

            if (obj.Namespace.Length > 0)
            {
                Enqueue(new Work(WorkKind.NamespaceContentGone, "namespaces", "", obj.Namespace, ""));
            }

            if (storageKey.Contains('.', StringComparison.Ordinal) && _service.Registry.TypesWithStorageKey(storageKey) is [{ IsCustom: true }, ..])
            {
                Enqueue(new Work(WorkKind.Deleting, "customresourcedefinitions.apiextensions.k8s.io", "", storageKey, ""));
            }

            if (storageKey == "customresourcedefinitions.apiextensions.k8s.io")
            {
                Enqueue(new Work(WorkKind.CrdRemoved, storageKey, "", obj.Name, obj.Uid));
            }
        }
        else if (obj.IsDeleting)
        {
            Enqueue(new Work(WorkKind.Deleting, storageKey, obj.Namespace, obj.Name, obj.Uid));
        }

        if (_caPem is not null && (storageKey == "namespaces" ? change.Type != WatchEventType.Deleted && !obj.IsDeleting
            : obj.Namespace.Length > 0 && NamespaceDefaultObjects.Concerns(storageKey, obj.Name)))
        {
            Enqueue(new Work(WorkKind.NamespaceDefaults, storageKey, storageKey == "namespaces" ? obj.Name : obj.Namespace, "", ""));
        }

        if ((storageKey == "pods" || storageKey == "poddisruptionbudgets.policy") && _budgetsPending.TryAdd(obj.Namespace, 0))
        {
            Enqueue(new Work(WorkKind.DisruptionBudgets, storageKey, obj.Namespace, "", ""));
        }

        if (NeedsQuotaRecount(storageKey, change) && _quotasPending.TryAdd(obj.Namespace, 0))
        {
            Enqueue(new Work(WorkKind.ResourceQuotas, storageKey, obj.Namespace, "", ""));
        }
    }

    /// <summary>
    /// A quota created or whose <c>spec.hard</c> changed, and, in a namespace with quotas, an object deleted or a pod
    /// finished: what releases or redefines usage. Creates are charged by admission, so they need no recount.
    /// </summary>
    private bool NeedsQuotaRecount(string storageKey, WatchEvent change)
    {
        var obj = change.Object;
        if (storageKey == "resourcequotas")
        {
            // A namespace stays marked after its last quota goes (it costs a recount that finds nothing): listing here,
            // inside the store's commit, is what the loop is for.
            if (change.Type == WatchEventType.Deleted)
            {
                return false;
            }

            _quotaNamespaces[obj.Namespace] = 0;
            var quota = obj.ToJsonObject();
            return change.Type == WatchEventType.Added ||
                !JsonNode.DeepEquals(ResourceList.From((quota["spec"] as JsonObject)?["hard"] as JsonObject).ToJson(),
                    (quota["status"] as JsonObject)?["hard"]);
        }

        return obj.Namespace.Length > 0 && _quotaNamespaces.ContainsKey(obj.Namespace) &&
            (change.Type == WatchEventType.Deleted || (storageKey == "pods" && obj.FieldValue("status.phase") is "Succeeded" or "Failed"));
    }

    private void Enqueue(Work work)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(work))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        await foreach (var work in _queue.Reader.ReadAllAsync(token))
        {
            try
            {
                await HandleAsync(work, token);
            }
            catch (ApiException)
            {
                // Races with clients (conflicts, objects already gone) resolve on the next event.
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private Task HandleAsync(Work work, CancellationToken token) => work.Kind switch
    {
        WorkKind.CollectDependents => CollectDependentsAsync(work.Uid, token),
        WorkKind.ForegroundOwner => ForegroundOwnerAsync(work.Uid, token),
        WorkKind.NamespaceContentGone => ReconcileDeletingAsync("namespaces", "", work.Name, token),
        WorkKind.Deleting => ReconcileDeletingAsync(work.StorageKey, work.Namespace, work.Name, token),
        WorkKind.CrdRemoved => RemoveCrdAsync(work.Name),
        WorkKind.NamespaceDefaults => NamespaceDefaultObjects.EnsureAsync(_service, work.Namespace, _caPem!, token),
        WorkKind.DisruptionBudgets => UpdateBudgetsAsync(work.Namespace, token),
        WorkKind.ResourceQuotas => RecountQuotasAsync(work.Namespace, token),
        _ => Task.CompletedTask,
    };

    private async Task CollectDependentsAsync(string ownerUid, CancellationToken token)
    {
        foreach (var dependent in _service.Store.Dependents(ownerUid))
        {
            var type = TypeOf(dependent);
            if (type is null)
            {
                continue;
            }

            var obj = dependent.ToJsonObject();
            var references = (obj.Metadata()["ownerReferences"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var remaining = references.Where(r => r.GetString("uid") != ownerUid && OwnerExists(r, dependent.Namespace)).ToList();
            if (remaining.Count == 0)
            {
                await _service.DeleteAsync(type, dependent.Namespace, dependent.Name,
                    new DeleteOptions { PropagationPolicy = "Background" }, token);
            }
            else
            {
                await RemoveOwnerReferenceAsync(type, dependent, ownerUid, token);
            }
        }
    }

    private async Task ForegroundOwnerAsync(string ownerUid, CancellationToken token)
    {
        string? key;
        lock (_foregroundOwners)
        {
            key = _foregroundOwners.FirstOrDefault(k => k.EndsWith("|" + ownerUid, StringComparison.Ordinal));
        }

        if (key is null)
        {
            return;
        }

        var parts = key.Split('|');
        await ReconcileDeletingAsync(parts[0], parts[1], parts[2], token);
    }

    private async Task ReconcileDeletingAsync(string storageKey, string ns, string name, CancellationToken token)
    {
        var types = _service.Registry.TypesWithStorageKey(storageKey);
        if (types.Count == 0)
        {
            return;
        }

        var type = types[0];
        var current = _service.TryGet(type, ns, name);
        if (current is null || !current.IsDeleting)
        {
            return;
        }

        var obj = current.ToJsonObject();
        var finalizers = (obj.Metadata()["finalizers"] as JsonArray)?.Select(f => f?.ToString() ?? "").ToList() ?? [];
        if (finalizers.Contains(Finalizers.Orphan))
        {
            foreach (var dependent in _service.Store.Dependents(current.Uid))
            {
                if (TypeOf(dependent) is { } dependentType)
                {
                    await RemoveOwnerReferenceAsync(dependentType, dependent, current.Uid, token);
                }
            }

            await RemoveFinalizerAsync(type, current, Finalizers.Orphan, token);
            return;
        }

        if (finalizers.Contains(Finalizers.ForegroundDeletion))
        {
            var key = $"{storageKey}|{ns}|{name}|{current.Uid}";
            var dependents = _service.Store.Dependents(current.Uid);
            if (dependents.Count == 0)
            {
                lock (_foregroundOwners)
                {
                    _foregroundOwners.Remove(key);
                }

                await RemoveFinalizerAsync(type, current, Finalizers.ForegroundDeletion, token);
                return;
            }

            lock (_foregroundOwners)
            {
                _foregroundOwners.Add(key);
            }

            foreach (var dependent in dependents.Where(d => !d.IsDeleting))
            {
                if (TypeOf(dependent) is { } dependentType)
                {
                    await _service.DeleteAsync(dependentType, dependent.Namespace, dependent.Name,
                        new DeleteOptions { PropagationPolicy = "Foreground" }, token);
                }
            }

            return;
        }

        if (type is { Group: "", Kind: "Namespace" })
        {
            await FinishNamespaceAsync(type, current, token);
        }
        else if (type is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" } && finalizers.Contains(Finalizers.CustomResourceCleanup))
        {
            await FinishCrdAsync(type, current, token);
        }
    }

    private async Task FinishNamespaceAsync(ResourceType nsType, StoredObject ns, CancellationToken token)
    {
        var remaining = 0;
        foreach (var type in _service.Registry.All.Where(t => t.Namespaced).GroupBy(t => t.StorageKey).Select(g => g.First()))
        {
            foreach (var item in _service.List(type, ns.Name).Items)
            {
                remaining++;
                if (!item.IsDeleting)
                {
                    await _service.DeleteAsync(type, item.Namespace, item.Name, new DeleteOptions { PropagationPolicy = "Background" }, token);
                }
            }
        }

        if (remaining > 0 && AnyContentLeft(ns.Name))
        {
            return;
        }

        await _service.GuaranteedUpdateAsync(nsType, "", ns.Name, 0, "finalize", WriteOptions.Default, (current, _) =>
        {
            if (current["spec"] is JsonObject spec && spec["finalizers"] is JsonArray list)
            {
                spec["finalizers"] = new JsonArray(list.Where(f => f?.ToString() != Finalizers.Kubernetes).Select(f => f?.DeepClone()).ToArray());
            }

            return current;
        }, token);
    }

    private bool AnyContentLeft(string ns) =>
        _service.Registry.All.Where(t => t.Namespaced).GroupBy(t => t.StorageKey).Select(g => g.First())
            .Any(t => _service.List(t, ns, new ListOptions { Limit = 1 }).Items.Count > 0);

    private async Task FinishCrdAsync(ResourceType crdType, StoredObject crd, CancellationToken token)
    {
        var crTypes = _service.Registry.TypesWithStorageKey(crd.Name);
        if (crTypes.Count > 0)
        {
            var crType = crTypes[0];
            var items = _service.Store.Snapshot(crType.StorageKey);
            foreach (var item in items.Where(i => !i.IsDeleting))
            {
                await _service.DeleteAsync(crType, item.Namespace, item.Name, new DeleteOptions { PropagationPolicy = "Background" }, token);
            }

            if (_service.Store.Snapshot(crType.StorageKey).Count > 0)
            {
                return;
            }
        }

        await RemoveFinalizerAsync(crdType, crd, Finalizers.CustomResourceCleanup, token);
    }

    private Task RemoveCrdAsync(string crdName)
    {
        var dot = crdName.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            _service.Registry.UnregisterCustomResource(crdName[(dot + 1)..], crdName[..dot]);
        }

        return Task.CompletedTask;
    }

    private Task RecountQuotasAsync(string ns, CancellationToken token)
    {
        _quotasPending.TryRemove(ns, out _);
        return ResourceQuotaUsage.RecalculateAsync(_service, ns, token);
    }

    private async Task UpdateBudgetsAsync(string ns, CancellationToken token)
    {
        // Taken off before reading, so a change committed from here on queues another recompute.
        _budgetsPending.TryRemove(ns, out _);
        var pdbType = _service.Registry.Find("policy", "v1", "poddisruptionbudgets")!;
        foreach (var budget in _service.List(pdbType, ns).Items)
        {
            var obj = budget.ToJsonObject();
            var status = DisruptionBudgets.ComputeStatus(_service, obj);
            var existing = obj["status"] as JsonObject;
            if (existing is not null
                && existing["expectedPods"].GetInt64() == status.ExpectedPods
                && existing["currentHealthy"].GetInt64() == status.CurrentHealthy
                && existing["desiredHealthy"].GetInt64() == status.DesiredHealthy
                && existing["disruptionsAllowed"].GetInt64() == status.DisruptionsAllowed
                && existing["observedGeneration"].GetInt64() == obj.Metadata()["generation"].GetInt64())
            {
                continue;
            }

            var now = Timestamp.Format(_service.Time.GetUtcNow());
            await _service.GuaranteedUpdateAsync(pdbType, ns, budget.Name, 0, "status", WriteOptions.Default, (current, _) =>
            {
                var fresh = DisruptionBudgets.ComputeStatus(_service, current);
                current["status"] = fresh.ToJson(current, fresh.DisruptionsAllowed, null, now);
                if (current["status"] is JsonObject s)
                {
                    s.Remove("disruptedPods");
                }

                return current;
            }, token);
        }
    }

    private async Task RemoveOwnerReferenceAsync(ResourceType type, StoredObject dependent, string ownerUid, CancellationToken token)
    {
        await _service.GuaranteedUpdateAsync(type, dependent.Namespace, dependent.Name, 0, null, WriteOptions.Default, (current, _) =>
        {
            var metadata = current.Metadata();
            if (metadata["ownerReferences"] is JsonArray references)
            {
                var kept = references.OfType<JsonObject>().Where(r => r.GetString("uid") != ownerUid).Select(r => r.DeepClone()).ToArray();
                if (kept.Length == 0)
                {
                    metadata.Remove("ownerReferences");
                }
                else
                {
                    metadata["ownerReferences"] = new JsonArray(kept);
                }
            }

            return current;
        }, token);
    }

    private async Task RemoveFinalizerAsync(ResourceType type, StoredObject obj, string finalizer, CancellationToken token)
    {
        await _service.GuaranteedUpdateAsync(type, obj.Namespace, obj.Name, 0, null, WriteOptions.Default, (current, _) =>
        {
            var metadata = current.Metadata();
            if (metadata["finalizers"] is JsonArray list)
            {
                metadata["finalizers"] = new JsonArray(list.Where(f => f?.ToString() != finalizer).Select(f => f?.DeepClone()).ToArray());
            }

            return current;
        }, token);
    }

    private bool OwnerExists(JsonObject reference, string dependentNamespace)
    {
        var apiVersion = reference.GetString("apiVersion") ?? "";
        var kind = reference.GetString("kind") ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var type = _service.Registry.FindByKind(group, version, kind);
        if (type is null)
        {
            return false;
        }

        var owner = _service.TryGet(type, type.Namespaced ? dependentNamespace : "", reference.GetString("name") ?? "");
        return owner is not null && owner.Uid == reference.GetString("uid");
    }

    private ResourceType? TypeOf(StoredObject obj)
    {
        var kind = obj.ToJsonObject();
        var apiVersion = kind.GetString("apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return _service.Registry.FindByKind(group, version, kind.GetString("kind") ?? "")
               ?? _service.Registry.All.FirstOrDefault(t => t.Group == group && t.Kind == kind.GetString("kind"));
    }

    private enum WorkKind
    {
        CollectDependents,
        ForegroundOwner,
        NamespaceContentGone,
        Deleting,
        CrdRemoved,
        DisruptionBudgets,
        NamespaceDefaults,
        ResourceQuotas,
    }

    private sealed record Work(WorkKind Kind, string StorageKey, string Namespace, string Name, string Uid);
}
