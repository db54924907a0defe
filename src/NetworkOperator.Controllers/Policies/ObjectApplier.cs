using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using Microsoft.Extensions.Logging;
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

    /// <summary>Our last write is not in the cache yet; nothing was sent (the watch event will bring it).</summary>
    Pending,

    /// <summary>Another live policy controls an object of the same name; the first owner keeps it.</summary>
    OwnedElsewhere,
}

/// <summary>
/// Create-or-update keyed by the revision annotation, reading the live object from <see cref="ObjectCache"/> only.
/// An object is written when it is missing, when its revision differs, or when it lacks our controller reference
/// (adoption of objects a previous operator left unowned). Writes are remembered with the resourceVersion they
/// produced so a cache that has not caught up yet never causes a second, conflicting write of the same revision.
/// </summary>
public sealed class ObjectApplier(IKubernetes client, ObjectCache cache, ILogger logger, Func<string, bool> ownerExists)
{
    private readonly ConcurrentDictionary<string, (string Revision, long ResourceVersion)> _written = new(StringComparer.Ordinal);

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

        if (_written.TryGetValue(key, out var written) && written.Revision == revision
            && (live is null || ResourceVersion(live) < written.ResourceVersion))
        {
            return (ApplyOutcome.Pending, live ?? desired);
        }

        var resource = new ResourceClient<KubeObject>(client, kind);
        if (live is null)
        {
            try
            {
                var created = await resource.CreateAsync(desired, cancellationToken: cancellationToken).ConfigureAwait(false);
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
            return (ApplyOutcome.Unchanged, live);
        }

        meta.ResourceVersion = live.Metadata.ResourceVersion;
        CarryOverServerOwnedFields(kind, desired, live);
        var updated = await resource.ReplaceAsync(desired, cancellationToken: cancellationToken).ConfigureAwait(false);
        Remember(key, revision, updated);
        ControllersLog.Wrote(logger, "updated", desired, state);
        return (ApplyOutcome.Updated, updated);
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
        _written[key] = (revision, ResourceVersion(written));

    private static long ResourceVersion(KubeObject obj) =>
        long.TryParse(obj.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : long.MaxValue;

    internal static string? AnnotationOf(k8s.Models.V1ObjectMeta meta, string key) =>
        meta.Annotations is { } a && a.TryGetValue(key, out var value) ? value : null;
}
