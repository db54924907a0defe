using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Networks;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Networks;

/// <summary>
/// One network custom resource → one NetworkAttachmentDefinition. A namespace move deletes the NAD this CR
/// controls in the old namespace (for every kind, HostDeviceNetwork included) before creating the new one; an
/// upstream last-namespace annotation already on the CR is kept accurate with a merge patch of that one key.
/// An invalid spec (the shared validation rules, then rendering) is status <c>error</c> with the field path in
/// <c>reason</c> and nothing applied; the reason is cleared once fixed. Beside upstream's fields the status carries a
/// <c>Ready</c> condition with a stable reason and the generation it describes, so <c>kubectl wait
/// --for=condition=Ready</c> works and a status written before an edit is not mistaken for the edit's outcome.
/// </summary>
public abstract class NetworkReconciler<T, TStatus>(OperatorContext context, ObjectApplier applier, StatusWriter writer) : IReconciler
    where T : class, IKubernetesObject<V1ObjectMeta>
    where TStatus : class, INetworkStatus
{
    /// <summary>
    /// The namespace's creation wakes the network (a Namespace watch), so the retry of a write into a missing namespace
    /// is only a safety net: once a minute, not at the not-ready pace of a failed write per network every few seconds.
    /// </summary>
    private static readonly TimeSpan MissingNamespaceRecheck = TimeSpan.FromMinutes(1);

    private const string NadNotServed = "NetworkAttachmentDefinition (k8s.cni.cncf.io/v1) is not served by this cluster; install Multus or its CRD";

    protected abstract INetworkRenderer<T> Renderer { get; }

    /// <summary>Annotation recording the NAD's last namespace (upstream compatibility), or null for kinds without one.</summary>
    protected abstract string? LastNamespaceAnnotation { get; }

    protected abstract TStatus? GetStatus(T network);

    protected abstract void SetStatus(T network, TStatus status);

    protected abstract TStatus NewStatus(string state, string? link, string? reason);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var network = context.Reader.Get<T>(null, key.Name);
        if (network is null || network.Metadata.DeletionTimestamp is not null)
        {
            context.Metrics.Resource(typeof(T).Name, key.Name, null);
            return ReconcileResult.Done;
        }

        if (SpecValidation.Problems(network) is { } invalid)
        {
            // The NAD stays as it was: an invalid edit is not applied, and the status says which field to fix.
            await ReportAsync(network, NewStatus(SyncStates.Error, null, invalid), ConditionReasons.InvalidSpec, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        RenderResult rendered;
        try
        {
            rendered = Renderer.Render(network, context.Facts() with { Nodes = [] });
        }
        catch (RenderException ex)
        {
            await ReportAsync(network, NewStatus(SyncStates.Error, null, StatusMessages.Bound(ex.Message)), ConditionReasons.InvalidSpec,
                cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var owner = Owner.Of(network);
        var desired = KubeObject.From(rendered.Objects[0]);
        var kind = ManagedKinds.NetworkAttachmentDefinition;
        if (!applier.Cache.Serves(kind))
        {
            await ReportAsync(network, NewStatus(SyncStates.NotReady, null, NadNotServed), ConditionReasons.KindNotServed, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.After(context.Environment.NotReadyRequeue);
        }

        string state;
        string? link = null;
        string? reason = null;
        string conditionReason;
        try
        {
            foreach (var (_, old) in applier.Cache.ControlledBy(owner.Uid).Where(o => o.Kind == kind).ToList())
            {
                if (old.Kind == desired.Kind && (old.Metadata.NamespaceProperty != desired.Metadata.NamespaceProperty || old.Metadata.Name != desired.Metadata.Name)
                    && old.Metadata.DeletionTimestamp is null)
                {
                    await applier.DeleteAsync(kind, old, Renderer.StateName, cancellationToken).ConfigureAwait(false);
                }
            }

            var (action, live) = await applier.ApplyAsync(kind, desired, owner, Renderer.StateName, cancellationToken).ConfigureAwait(false);
            if (action == ApplyAction.Conflict)
            {
                // Another network of the same name (a MacvlanNetwork and a HostDeviceNetwork, say) made this NAD first.
                // Taking it over would have the two rewrite it in turn for ever; the first keeps it.
                var rival = live.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
                state = SyncStates.NotReady;
                conditionReason = ConditionReasons.NameConflict;
                reason = $"NetworkAttachmentDefinition {desired.Metadata.NamespaceProperty}/{desired.Metadata.Name} is controlled by "
                    + $"{rival?.Kind} {rival?.Name}, which keeps it; rename this {network.Kind} or set another spec.networkNamespace";
            }
            else
            {
                network = await RecordNamespaceAsync(network, desired.Metadata.NamespaceProperty, cancellationToken).ConfigureAwait(false);
                state = SyncStates.Ready;
                conditionReason = ConditionReasons.NetworkReady;
                link = $"{live.ApiVersion}/namespaces/{live.Metadata.NamespaceProperty}/{live.Kind}/{live.Metadata.Name}";
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ApiErrors.StatusOf(ex) is not null)
        {
            state = SyncStates.NotReady;
            var nad = $"{desired.Metadata.NamespaceProperty}/{desired.Metadata.Name}";
            (conditionReason, reason) = ex switch
            {
                _ when ApiErrors.IsNamespaceNotFound(ex) => (ConditionReasons.NamespaceNotFound,
                    $"writing the NetworkAttachmentDefinition {nad} failed: namespace \"{desired.Metadata.NamespaceProperty}\" (spec.networkNamespace) does not exist; create it or name an existing one"),
                // The CRD went after the cache last looked (Multus uninstalled): the same words as when it is known missing.
                _ when ApiErrors.IsKindNotServed(ex) => (ConditionReasons.KindNotServed, NadNotServed),
                _ => (ConditionReasons.ApplyFailed, $"writing the NetworkAttachmentDefinition {nad} failed: {ApiErrors.Describe(ex)}"),
            };
        }
        catch (OwnerChangedException ex)
        {
            // Deleted or edited meanwhile: its own event runs the next pass.
            ControllersLog.PassEnded(context.LoggerFactory, "NetworkOperator.Controllers.Networks", ex.Message);
            return ReconcileResult.Done;
        }

        await ReportAsync(network, NewStatus(state, link, reason), conditionReason, cancellationToken).ConfigureAwait(false);
        return state == SyncStates.Ready
            ? context.SteadyStateResync is { } resync ? ReconcileResult.After(resync) : ReconcileResult.Done
            : conditionReason == ConditionReasons.NamespaceNotFound
                ? ReconcileResult.After(MissingNamespaceRecheck)
                : ReconcileResult.After(context.Environment.NotReadyRequeue);
    }

    private async Task ReportAsync(T network, TStatus status, string conditionReason, CancellationToken cancellationToken)
    {
        var ready = status.State == SyncStates.Ready;
        status.Conditions = [Conditions.Make(GetStatus(network)?.Conditions, ConditionTypes.Ready, ready ? "True" : "False",
            conditionReason, status.Reason ?? string.Empty, network.Metadata.Generation, context.Time.GetUtcNow())];
        context.Metrics.Resource(network.Kind, network.Metadata.Name, ready);
        await writer.WriteIfChangedAsync(network, status, GetStatus, SetStatus, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps an upstream-written last-namespace annotation true after a move and returns the CR as the server now has
    /// it, so the status write that follows carries the new resourceVersion instead of failing with a conflict on our
    /// own patch. The annotation is never added: the NAD is found through its controller reference, so recording it
    /// would cost every network a write that nothing here reads. A CR that came from the upstream operator keeps it
    /// accurate, so switching back finds the NAD where it is (upstream rewrites it on its first pass anyway).
    /// </summary>
    private async Task<T> RecordNamespaceAsync(T network, string? @namespace, CancellationToken cancellationToken)
    {
        if (LastNamespaceAnnotation is not { } annotation
            || network.Metadata.Annotations is not { } current
            || !current.TryGetValue(annotation, out var value)
            || value == @namespace)
        {
            return network;
        }

        // A merge patch of one key: the CR's other annotations stay (upstream replaced them all).
        var kind = ResourceKinds.For<T>();
        var patch = new V1Patch(new { metadata = new { annotations = new Dictionary<string, string?> { [annotation] = @namespace } } },
            V1Patch.PatchType.MergePatch);
        var patched = await context.Client.CustomObjects.PatchClusterCustomObjectAsync(patch, kind.Group, kind.Version, kind.Plural,
            network.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        var written = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(patched));
        writer.Assume(written);
        return written;
    }
}
