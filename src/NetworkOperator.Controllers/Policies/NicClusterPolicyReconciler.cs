using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Reconciles the NicClusterPolicy (docs/operator.md): only <c>nic-cluster-policy</c> is acted on; every state runs each
/// reconcile, independently; status is written only when it changed; not-ready requeues after the configured delay.
/// The node wait labels are a separate controller (<see cref="NodeLabels.WaitLabelReconciler"/>).
/// </summary>
/// <param name="context">The operator's clients, caches and settings.</param>
/// <param name="sync">Renders and applies each component state.</param>
/// <param name="reporter">Writes the status, Events and gauges.</param>
/// <param name="pendingNodeLabels">How many nodes still need wait-label changes (the policy is not ready before they are made); none when null.</param>
/// <param name="upgradeSettling">Whether the driver upgrade controller has a pass queued or running (see <see cref="UpgradeSettle"/>); never when null.</param>
/// <param name="awaitsDriver">Whether nodes are still to be held for a driver about to reach them (see <see cref="StateSynchronizer.SyncAllAsync"/>); never when null.</param>
public sealed class NicClusterPolicyReconciler(OperatorContext context, StateSynchronizer sync, PolicyReporter reporter, Func<int>? pendingNodeLabels = null,
    Func<bool>? upgradeSettling = null, Func<bool>? awaitsDriver = null) : IReconciler
{
    public static string UnsupportedReason(string name) =>
        $"Unsupported NicClusterPolicy instance {name}. Only instance with name {ApiGroup.NicClusterPolicyName} is supported";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var policy = context.Reader.Get<NicClusterPolicy>(null, key.Name);
        if (policy is null || policy.Metadata.DeletionTimestamp is not null)
        {
            // Owned objects go through garbage collection; nothing to report on.
            context.Metrics.Forget(NicClusterPolicy.KubeKind, key.Name, ComponentCatalog.ClusterPolicy);
            reporter.Forget(NicClusterPolicy.KubeKind, key.Name);
            return ReconcileResult.Done;
        }

        var now = context.Time.GetUtcNow();
        if (key.Name != ApiGroup.NicClusterPolicyName)
        {
            var ignored = PolicyStatusCalculator.Compute(policy.Status, [], policy.Metadata.Generation, now, SyncStates.Ignore, UnsupportedReason(key.Name));
            await reporter.ReportAsync(policy, policy.Status, ignored, [], p => p.Status, (p, s) => p.Status = s, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (SpecValidation.Problems(policy) is { } invalid)
        {
            var error = PolicyStatusCalculator.Compute(policy.Status, [], policy.Metadata.Generation, now, SyncStates.Error, invalid, ConditionReasons.InvalidSpec);
            await reporter.ReportInvalidAsync(policy, policy.Status, error, p => p.Status, (p, s) => p.Status = s, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (policy.Spec.OfedDriver is { } ofed && context.RefreshTags is not null && !string.IsNullOrEmpty(ofed.Repository) && !string.IsNullOrEmpty(ofed.Image))
        {
            await context.RefreshTags(ofed.Repository, ofed.Image, cancellationToken).ConfigureAwait(false);
        }

        var (facts, waitForTrustedCa) = await context.OpenShift.AddAsync(context.Facts(), policy, policy.Spec.OfedDriver, cancellationToken)
            .ConfigureAwait(false);
        if (waitForTrustedCa is { } wait)
        {
            // OpenShift fills the trusted CA ConfigMap within seconds; a driver pod started before would lack the bundle.
            return ReconcileResult.After(wait);
        }

        var owner = Owner.Of(policy);
        List<StateResult> results;
        try
        {
            var states = ComponentStates.ClusterPolicy
                .Select(state => (state.Name, ComponentCatalog.Find(state.Name)!.DsOwner(NicClusterPolicy.KubeKind, key.Name),
                    state.IsEnabled(policy) ? () => state.Render(policy, facts) : (Func<RenderResult>?)null))
                .ToList();
            results = await sync.SyncAllAsync(owner, states, cancellationToken, RenderInputs.Digest(policy, policy.Spec, facts), awaitsDriver)
                .ConfigureAwait(false);
        }
        catch (OwnerChangedException ex)
        {
            // Deleted or edited meanwhile: no status for a state that is no longer asked for; its own event runs the next pass.
            ControllersLog.PassEnded(context.LoggerFactory, "NetworkOperator.Controllers.Policies", ex.Message);
            return ReconcileResult.Done;
        }

        return await reporter.FinishPassAsync(policy, results, now, pendingNodeLabels, upgradeSettling, p => p.Status, (p, s) => p.Status = s,
            cancellationToken).ConfigureAwait(false);
    }
}
