using k8s;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Reads the owner from the API server right before the applier creates an object for it. A reconcile pass renders
/// from the cached owner, which may already be gone, being deleted (garbage collection is removing its objects) or
/// edited (a section removed): creating then would bring back what the user just removed, and on a server without a
/// garbage collector pass for dangling owners it would stay. The read happens only for creates, never for the
/// unchanged objects of a steady state, so it costs nothing once the cluster has converged.
/// </summary>
public sealed class OwnerGuard(IKubernetes client)
{
    /// <summary>Throws <see cref="OwnerChangedException"/> unless the owner still exists, is not being deleted and has the rendered generation.</summary>
    public async Task EnsureCurrentAsync(Owner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (owner.Resource is not { } resource)
        {
            return;
        }

        var live = await new ResourceClient<KubeObject>(client, resource).GetAsync(null, owner.Name, cancellationToken).ConfigureAwait(false);
        if (live is null || live.Metadata.Uid != owner.Uid)
        {
            throw new OwnerChangedException($"{owner} was deleted");
        }

        if (live.Metadata.DeletionTimestamp is not null)
        {
            throw new OwnerChangedException($"{owner} is being deleted");
        }

        if (owner.Generation is { } rendered && live.Metadata.Generation is { } current && current != rendered)
        {
            throw new OwnerChangedException($"{owner} changed (generation {rendered} → {current}) while it was being reconciled");
        }
    }
}
