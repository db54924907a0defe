using k8s;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Carries out <see cref="ApplyDecision"/> against the live object in the kind's informer, level-triggered:
/// whatever the cache shows now is compared with what should be, every time, so a deleted object is created again and
/// a changed one restored (<see cref="ObjectDrift"/>). Each write's result goes into the cache at once (the informer's
/// assume), so the next reconcile reads its own write instead of writing again; that is the only read-your-own-writes.
/// Nothing is created for an owner that is gone, being deleted or no longer at the rendered generation
/// (<see cref="OwnerGuard"/>).
/// </summary>
public sealed class ObjectApplier(IKubernetes client, SharedInformerFactory cache, ILogger logger, Func<string, bool> ownerExists)
{
    private readonly OwnerGuard _ownerGuard = new(client);

    public SharedInformerFactory Cache => cache;

    /// <summary>Makes the cluster hold <paramref name="desired"/> for <paramref name="owner"/>; returns what was done and the live object.</summary>
    public async Task<(ApplyAction Action, KubeObject Live)> ApplyAsync(ResourceKind kind, KubeObject desired, Owner owner, string state,
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
        var live = cache.Get(kind, meta.NamespaceProperty, meta.Name);
        var resource = new ResourceClient<KubeObject>(client, kind);
        var decision = ApplyDecision.Decide(desired, live, owner, ownerExists);
        if (decision.Action == ApplyAction.Create)
        {
            // Only a current owner gets new objects: a pass rendered from a deleted or since-edited owner must not
            // bring back what garbage collection or the edit just removed.
            await _ownerGuard.EnsureCurrentAsync(owner, cancellationToken).ConfigureAwait(false);
            try
            {
                var created = await resource.CreateAsync(desired, cancellationToken: cancellationToken).ConfigureAwait(false);
                cache.AssumeCreated(kind, created);
                ControllersLog.Wrote(logger, "created", desired, state);
                return (ApplyAction.Create, created);
            }
            catch (Exception ex) when (ApiErrors.IsConflict(ex))
            {
                // Exists but not in our cache: made by someone else without the state label, or the cache lags.
                live = await resource.GetAsync(meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{desired} vanished while being created; will retry");
                decision = ApplyDecision.Decide(desired, live, owner, ownerExists);
            }
        }

        if (decision.Action is ApplyAction.Unchanged or ApplyAction.Conflict)
        {
            return (decision.Action, live!);
        }

        if (decision.Action != ApplyAction.Update)
        {
            throw new InvalidOperationException($"Applying {desired} cannot {decision.Action}.");
        }

        if (decision.DriftedField is { } field)
        {
            ControllersLog.Restoring(logger, desired, state, field);
        }

        KubeObject updated;
        try
        {
            updated = await ReplaceAsync(resource, kind, desired, live!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsConflict(ex))
        {
            // The cache was a step behind the server (the workload controller's status write, or the very edit being
            // undone, landed in between): decide once more on the server's copy instead of failing the state for a
            // race that is no one's fault.
            live = await resource.GetAsync(meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{desired} vanished while being updated; will retry");
            decision = ApplyDecision.Decide(desired, live, owner, ownerExists);
            if (decision.Action is ApplyAction.Unchanged or ApplyAction.Conflict)
            {
                return (decision.Action, live);
            }

            updated = await ReplaceAsync(resource, kind, desired, live, cancellationToken).ConfigureAwait(false);
        }

        cache.Assume(kind, updated);
        ControllersLog.Wrote(logger, "updated", desired, state);
        return (ApplyAction.Update, updated);
    }

    private static Task<KubeObject> ReplaceAsync(ResourceClient<KubeObject> resource, ResourceKind kind, KubeObject desired, KubeObject live,
        CancellationToken cancellationToken)
    {
        desired.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
        CarryOverServerOwnedFields(kind, desired, live);
        return resource.ReplaceAsync(desired, cancellationToken: cancellationToken);
    }

    /// <summary>Deletes an object the owner controls and no longer renders; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ResourceKind kind, KubeObject obj, string state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(obj);
        var deleted = await new ResourceClient<KubeObject>(client, kind)
            .DeleteAsync(obj.Metadata.NamespaceProperty, obj.Metadata.Name, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            ControllersLog.Wrote(logger, "deleted", obj, state);
        }

        return deleted;
    }

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
}
