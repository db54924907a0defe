using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster.Informers;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The wiring every simulated workload controller shares, as kube-controller-manager's do: a keyed work queue fed by
/// the owner kind's changes and by changes of the children it controls (mapped to their controller owner's key),
/// an index of children by owner uid, and workers that report sync failures to the cluster.
/// </summary>
internal abstract class OwningController<TOwner, TChild>
    where TOwner : class, IKubernetesObject<V1ObjectMeta>
    where TChild : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly string _component;

    protected OwningController(ClusterContext context, string component, Informer<TOwner> owners, Informer<TChild> children, string ownerKind)
    {
        Context = context;
        _component = component;
        Queue = new WorkQueue(context.Time);

        // The index is registered first so it already holds a child's change when the owner's sync runs for it.
        Children = new OwnerIndex<TChild>(children, ownerKind);
        owners.OnChange((_, owner) =>
        {
            if (owner is not null)
            {
                Queue.Add(Informer<TOwner>.KeyOf(owner));
            }
        });
        children.OnChange((old, child) =>
        {
            var obj = (child ?? old)!;
            if (obj.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == ownerKind) is { } owner)
            {
                Queue.Add(obj.Metadata.NamespaceProperty + "/" + owner.Name);
            }
        });
    }

    public int Pending => Queue.Pending;

    protected ClusterContext Context { get; }

    protected WorkQueue Queue { get; }

    protected OwnerIndex<TChild> Children { get; }

    /// <summary>Syncs in parallel; a controller can run fewer, as kube-controller-manager's own defaults do.</summary>
    protected virtual int Workers => Context.Options.Workers;

    public Task RunAsync(CancellationToken cancellationToken) =>
        Queue.RunAsync(Workers, SyncAsync, (key, e) => Context.ReportError(_component, key, e), cancellationToken);

    protected abstract Task SyncAsync(string key, CancellationToken cancellationToken);
}
