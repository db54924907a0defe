using System.Collections.Concurrent;
using k8s;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>What an apply did.</summary>
public enum ApplyOutcome
{
    Unchanged,
    Created,
    Updated,

    /// <summary>Another live policy controls an object of the same name; the first owner keeps it.</summary>
    OwnedElsewhere,
}

/// <summary>
/// Create-or-update keyed by the revision annotation, reading the live object from <see cref="ObjectCache"/> only, and
/// level-triggered: whatever the cache shows now is compared with what should be, every time. An object is written when
/// it is missing (deleted by someone, or never created), when its revision differs, when it lacks our controller
/// reference (adoption of objects a previous operator left unowned), or when a field we wrote was changed or removed by
/// someone else (<see cref="ObjectDrift"/>). Each write's result goes into the cache at once (the informer's assume), so
/// the next reconcile reads its own write instead of writing again, and the server's copy of our write (with its
/// defaults) is remembered as the reference for drift, so defaults never look like drift. Nothing is created for an
/// owner that is gone, being deleted or no longer at the rendered generation (<see cref="OwnerGuard"/>).
/// </summary>
public sealed class ObjectApplier(IKubernetes client, ObjectCache cache, ILogger logger, Func<string, bool> ownerExists)
{
    // Per object: the revision last written, the server's copy of that write without server-owned parts, and the
    // newest live resourceVersion already found to hold it (so an unchanged object is compared once, not every pass).
    private readonly ConcurrentDictionary<string, Written> _written = new(StringComparer.Ordinal);
    private readonly OwnerGuard _ownerGuard = new(client);

    public ObjectCache Cache => cache;

    public async Task<(ApplyOutcome Outcome, KubeObject Live)> ApplyAsync(ResourceKind kind, KubeObject desired, Owner owner, string state,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(owner);
        var meta = desired.Metadata;
        if (!kind.Namespaced)
        {
            meta.NamespaceProperty = null;
        }

        meta.OwnerReferences = [owner.Reference()];
        var revision = AnnotationOf(meta, Annotations.Revision) ?? string.Empty;
        var key = $"{kind.Resource}/{meta.NamespaceProperty}/{meta.Name}";
        var live = cache.Get(kind, meta.NamespaceProperty, meta.Name);

        var resource = new ResourceClient<KubeObject>(client, kind);
        if (live is null)
        {
            // Only a current owner gets new objects: a pass rendered from a deleted or since-edited owner must not
            // bring back what garbage collection or the edit just removed.
            await _ownerGuard.EnsureCurrentAsync(owner, cancellationToken).ConfigureAwait(false);
            try
            {
                var created = await resource.CreateAsync(desired, cancellationToken: cancellationToken).ConfigureAwait(false);
                cache.AssumeCreated(kind, created);
                Remember(key, revision, created);
                ControllersLog.Wrote(logger, "created", desired, state);
                return (ApplyOutcome.Created, created);
            }
            catch (Exception ex) when (ApiErrors.IsConflict(ex))
            {
                // Exists but not in our cache: made by someone else without the state label, or the cache lags.
                live = await resource.GetAsync(meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{desired} vanished while being created; will retry");
            }
        }

        var controlled = owner.Controls(live.Metadata);
        if (!controlled && ControlledByOtherLivePolicy(live, owner))
        {
            return (ApplyOutcome.OwnedElsewhere, live);
        }

        if (controlled && AnnotationOf(live.Metadata, Annotations.Revision) == revision && revision.Length > 0)
        {
            if (DriftOf(key, revision, desired, live) is not { } field)
            {
                return (ApplyOutcome.Unchanged, live);
            }

            ControllersLog.Restoring(logger, desired, state, field);
        }

        meta.ResourceVersion = live.Metadata.ResourceVersion;
        CarryOverServerOwnedFields(kind, desired, live);
        var updated = await resource.ReplaceAsync(desired, cancellationToken: cancellationToken).ConfigureAwait(false);
        cache.Assume(kind, updated);
        Remember(key, revision, updated);
        ControllersLog.Wrote(logger, "updated", desired, state);
        return (ApplyOutcome.Updated, updated);
    }

    // Null when the live object still holds everything we wrote; else the first field that differs. Measured against
    // the server's copy of our last write of this revision, or, after a restart, against the rendered object.
    private string? DriftOf(string key, string revision, KubeObject desired, KubeObject live)
    {
        var written = _written.TryGetValue(key, out var w) && w.Revision == revision ? w : null;
        if (written is not null && written.CheckedVersion == live.Metadata.ResourceVersion)
        {
            return null;
        }

        var reference = written?.Reference ?? ReferenceOf(live.Kind, desired);
        var field = ObjectDrift.Find(reference, live);
        if (field is null)
        {
            _written[key] = new Written(revision, reference, live.Metadata.ResourceVersion);
        }

        return field;
    }

    public async Task<bool> DeleteAsync(ResourceKind kind, KubeObject obj, string state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(obj);
        var deleted = await new ResourceClient<KubeObject>(client, kind)
            .DeleteAsync(obj.Metadata.NamespaceProperty, obj.Metadata.Name, cancellationToken).ConfigureAwait(false);
        _written.TryRemove($"{kind.Resource}/{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}", out _);
        if (deleted)
        {
            ControllersLog.Wrote(logger, "deleted", obj, state);
        }

        return deleted;
    }

    // Shared helper objects: with two policies rendering the same name, the one that got it first keeps it, so the
    // two never take turns rewriting it.
    private bool ControlledByOtherLivePolicy(KubeObject live, Owner owner) =>
        (live.Metadata.OwnerReferences ?? []).Any(r => r.Controller == true && r.Uid != owner.Uid
            && r.ApiVersion?.StartsWith(ApiGroup.Group + "/", StringComparison.Ordinal) == true && ownerExists(r.Uid));

    private static void CarryOverServerOwnedFields(ResourceKind kind, KubeObject desired, KubeObject live)
    {
        if (kind != ManagedKinds.ServiceAccount)
        {
            return;
        }

        // Token controllers and image-pull-secret injectors fill these; a full update must not strip them.
        foreach (var field in new[] { "secrets", "imagePullSecrets" })
        {
            if (live.Field(field) is { } value)
            {
                desired.Fields ??= [];
                desired.Fields[field] = value.Clone();
            }
        }
    }

    private void Remember(string key, string revision, KubeObject written) =>
        _written[key] = new Written(revision, ReferenceOf(written.Kind, written), written.Metadata.ResourceVersion);

    // A ServiceAccount's secrets are the token controller's and image-pull-secret injectors' (carried over on update),
    // never ours to restore.
    private static System.Text.Json.Nodes.JsonObject ReferenceOf(string kind, KubeObject obj)
    {
        var reference = ObjectDrift.Reference(obj);
        if (kind == ManagedKinds.ServiceAccount.Kind)
        {
            reference.Remove("secrets");
            reference.Remove("imagePullSecrets");
        }

        return reference;
    }

    private sealed record Written(string Revision, System.Text.Json.Nodes.JsonObject Reference, string? CheckedVersion);

    internal static string? AnnotationOf(k8s.Models.V1ObjectMeta meta, string key) =>
        meta.Annotations is { } a && a.TryGetValue(key, out var value) ? value : null;
}
