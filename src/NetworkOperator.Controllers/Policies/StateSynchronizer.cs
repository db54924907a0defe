using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api;
using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Upstream's generic state sync with our fixes: render, apply (from the cache), remove stale objects, judge
/// readiness. Only objects the owner controls are ever deleted, and CustomResourceDefinitions are never deleted by a
/// state (they hold user data: IP pools, NIC configuration, rail pools); the component message says so.
/// </summary>
public sealed class StateSynchronizer(ObjectApplier applier, ILogger logger, PodProblems? podProblems = null)
{
    // The last failure logged per owner and state: a reconcile every few seconds would otherwise repeat the same warning.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lastFailure = new(StringComparer.Ordinal);

    // The last render per owner and state, with the digest of its inputs (RenderInputs): a pass whose inputs did not
    // change applies these objects again instead of rendering, hashing and serializing the same ones.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Owner, string State), (string Digest, KubeObject[] Objects, string? EmptyReason)> _renders = new();

    /// <summary>Passes that reused the previous render of a state because its inputs were unchanged.</summary>
    public long RendersReused => Interlocked.Read(ref _rendersReused);

    /// <summary>Passes that rendered a state.</summary>
    public long Renders => Interlocked.Read(ref _renderCount);

    private long _rendersReused;
    private long _renderCount;

    /// <summary>
    /// States synced at once by <see cref="SyncAllAsync"/>. The states of a policy are independent of one another (each
    /// renders and applies only its own objects), and done one after the other the driver, which every other
    /// component waits for through <c>mofed.wait</c>, started only after the CNI states' objects were all created.
    /// </summary>
    public const int StateParallelism = 4;

    /// <summary>DaemonSets of one state applied at once (see <see cref="SyncAsync"/>).</summary>
    public const int DaemonSetParallelism = 4;

    public SharedInformerFactory Cache => applier.Cache;

    /// <summary>The status message of a state held back until the nodes the driver is about to reach are labelled.</summary>
    public const string AwaitingDriverMessage =
        "waiting for nodes the driver is about to reach to be labelled mofed.wait=true, so this component does not start there against the inbox driver";

    /// <summary>
    /// Syncs <paramref name="states"/> (name, ds-owner, render or null) a few at a time; the results keep the states'
    /// order, so status and Events read the same as a sequential pass.
    /// </summary>
    /// <param name="owner">The policy.</param>
    /// <param name="states">The states.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="inputsDigest">The <see cref="RenderInputs"/> digest of the policy and facts the renders read; null renders every state.</param>
    /// <param name="awaitsDriver">
    /// Whether some node is still to be held at <c>mofed.wait=true</c> for a driver about to reach it
    /// (<see cref="NodeLabels.WaitLabelPlanner.AwaitsDriver"/>); asked only when a state that waits for the driver is
    /// enabled, and while it answers yes those states are left as they are and reported not ready.
    /// </param>
    public async Task<List<StateResult>> SyncAllAsync(Owner owner, IReadOnlyList<(string State, string? DsOwner, Func<RenderResult>? Render)> states,
        CancellationToken cancellationToken, string? inputsDigest = null, Func<bool>? awaitsDriver = null)
    {
        ArgumentNullException.ThrowIfNull(states);
        var results = new StateResult[states.Count];
        bool WaitsForDriver(int i) => states[i].Render is not null && ComponentCatalog.Find(states[i].State)?.WaitsForDriver == true;
        var indexes = Enumerable.Range(0, states.Count);
        var holdBack = awaitsDriver is not null && indexes.Any(WaitsForDriver) && awaitsDriver();
        foreach (var i in indexes.Where(i => holdBack && WaitsForDriver(i)))
        {
            results[i] = StateResult.NotReady(states[i].State, AwaitingDriverMessage);
        }

        // The driver state starts first: every other component waits for its pods through mofed.wait, so each second
        // it spends queued behind another state's creates is a second added to the whole rollout.
        var order = indexes.Where(i => !(holdBack && WaitsForDriver(i))).OrderBy(i => states[i].State == StateNames.Ofed ? 0 : 1);
        await Parallel.ForEachAsync(order,
            new ParallelOptions { MaxDegreeOfParallelism = StateParallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await SyncAsync(owner, states[i].State, states[i].DsOwner, states[i].Render, ct, inputsDigest).ConfigureAwait(false))
            .ConfigureAwait(false);
        return [.. results];
    }

    /// <param name="owner">The policy.</param>
    /// <param name="state">State name.</param>
    /// <param name="dsOwner"><c>ds-owner</c> label value for the per-policy states, else null.</param>
    /// <param name="render">Null when the state's section is absent (deletion path).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="inputsDigest">The <see cref="RenderInputs"/> digest of what <paramref name="render"/> reads; null renders.</param>
    public async Task<StateResult> SyncAsync(Owner owner, string state, string? dsOwner, Func<RenderResult>? render,
        CancellationToken cancellationToken, string? inputsDigest = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var selector = LabelSelector.Parse(dsOwner is null ? $"{Labels.State}={state}" : $"{Labels.State}={state},{Labels.DsOwner}={dsOwner}");
        var memoKey = (owner.Uid, state);
        if (render is null)
        {
            _renders.TryRemove(memoKey, out _);
            return await RemoveAllAsync(owner, state, selector, cancellationToken).ConfigureAwait(false);
        }

        KubeObject[] prototypes;
        string? emptyReason = null;
        if (inputsDigest is not null && _renders.TryGetValue(memoKey, out var memo) && memo.Digest == inputsDigest)
        {
            prototypes = memo.Objects;
            emptyReason = memo.EmptyReason;
            Interlocked.Increment(ref _rendersReused);
        }
        else
        {
            RenderResult rendered;
            try
            {
                Interlocked.Increment(ref _renderCount);
                rendered = render();
            }
            catch (RenderException ex)
            {
                _renders.TryRemove(memoKey, out _);
                return StateResult.Error(state, ex.Message);
            }

            prototypes = [.. rendered.Objects.Select(KubeObject.From)];
            emptyReason = prototypes.Length == 0 && rendered.Warnings.Count > 0 ? rendered.Warnings[^1] : null;
            if (inputsDigest is null)
            {
                _renders.TryRemove(memoKey, out _);
            }
            else
            {
                _renders[memoKey] = (inputsDigest, prototypes, emptyReason);
            }
        }

        if (prototypes.Length == 0)
        {
            // Nothing qualifies now (no node for the driver, say): as upstream, what the state deployed before goes, so
            // no stale DaemonSet, account or config is left behind, and the renderer's own reason is the state's.
            var (_, _, deleteFailures) = await DeleteControlledAsync(owner, state, selector, cancellationToken).ConfigureAwait(false);
            return StateResult.NotReady(state, deleteFailures.Count > 0
                ? string.Join("; ", deleteFailures.Take(StatusMessages.MaxNamesListed))
                : emptyReason ?? "nothing to deploy: no object was rendered");
        }

        var failures = new List<string>();
        var waiting = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var desiredKeys = new HashSet<string>(StringComparer.Ordinal);
        var outcomes = new ApplyOutcome[prototypes.Length];
        for (var first = 0; first < prototypes.Length;)
        {
            // A run of DaemonSets (a driver pool each, on a big cluster ten or more) is applied a few at a time: nothing
            // in a state depends on one of its DaemonSets, while everything before them (accounts, roles, config) is
            // still applied in order. The outcomes are read in rendered order, so the status does not depend on timing.
            var end = first + 1;
            while (end < prototypes.Length && IsDaemonSet(prototypes[first]) && IsDaemonSet(prototypes[end]))
            {
                end++;
            }

            await Parallel.ForEachAsync(Enumerable.Range(first, end - first),
                new ParallelOptions { MaxDegreeOfParallelism = DaemonSetParallelism, CancellationToken = cancellationToken },
                async (i, ct) => outcomes[i] = await ApplyOneAsync(owner, state, Fresh(prototypes[i]), ct).ConfigureAwait(false))
                .ConfigureAwait(false);
            first = end;
        }

        foreach (var outcome in outcomes)
        {
            if (outcome.Key is not null)
            {
                desiredKeys.Add(outcome.Key);
            }

            if (outcome.Failure is not null)
            {
                failures.Add(outcome.Failure);
            }
            else if (outcome.NotReadyReason is not null)
            {
                AddTo(waiting, outcome.NotReadyReason, outcome.Name!);
            }
        }

        var stale = 0;
        foreach (var (kind, obj) in Cache.ControlledBy(owner.Uid, selector).ToList())
        {
            if (desiredKeys.Contains(Key(kind, obj)) || kind == ManagedKinds.CustomResourceDefinition)
            {
                continue;
            }

            stale++;
            if (obj.Metadata.DeletionTimestamp is null)
            {
                try
                {
                    await applier.DeleteAsync(kind, obj, state, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures.Add($"deleting stale {obj.Kind} {obj.Metadata.Name} failed: {ApiErrors.Describe(ex)}");
                }
            }
        }

        var failureKey = $"{owner}/{state}";
        if (failures.Count > 0)
        {
            if (!_lastFailure.TryGetValue(failureKey, out var last) || last != failures[0])
            {
                _lastFailure[failureKey] = failures[0];
                ControllersLog.StateFailed(logger, state, owner.ToString(), failures[0]);
            }

            return StateResult.NotReady(state, string.Join("; ", failures.Take(StatusMessages.MaxNamesListed)));
        }

        _lastFailure.TryRemove(failureKey, out _);
        if (waiting.Count > 0)
        {
            return StateResult.NotReady(state, string.Join("; ", waiting.OrderBy(w => w.Key, StringComparer.Ordinal)
                .Select(w => $"{StatusMessages.Names(w.Value)}: {w.Key}")));
        }

        return stale > 0 ? StateResult.NotReady(state, "removing objects that are no longer rendered") : StateResult.Ready(state);
    }

    private static bool IsDaemonSet(KubeObject rendered) => rendered.Kind == "DaemonSet";

    /// <summary>
    /// A copy of a rendered object for one apply: the apply sets its owner, namespace and resource version (and a
    /// ServiceAccount's server-filled fields), so the kept render must not be that instance. The field values are
    /// immutable JSON and are shared.
    /// </summary>
    internal static KubeObject Fresh(KubeObject prototype)
    {
        var m = prototype.Metadata;
        return new KubeObject
        {
            ApiVersion = prototype.ApiVersion,
            Kind = prototype.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = m.Name,
                GenerateName = m.GenerateName,
                NamespaceProperty = m.NamespaceProperty,
                Labels = m.Labels is null ? null : new Dictionary<string, string>(m.Labels, StringComparer.Ordinal),
                Annotations = m.Annotations is null ? null : new Dictionary<string, string>(m.Annotations, StringComparer.Ordinal),
                Finalizers = m.Finalizers is null ? null : [.. m.Finalizers],
                OwnerReferences = m.OwnerReferences is null ? null : [.. m.OwnerReferences],
                ResourceVersion = m.ResourceVersion,
            },
            Fields = prototype.Fields is null ? null : new Dictionary<string, System.Text.Json.JsonElement>(prototype.Fields, StringComparer.Ordinal),
        };
    }

    private static string NotServed(KubeObject desired) => $"{desired.Kind} ({desired.ApiVersion}) is not served by this cluster";

    private readonly record struct ApplyOutcome(string? Key, string? Failure, string? NotReadyReason, string? Name);

    private async Task<ApplyOutcome> ApplyOneAsync(Owner owner, string state, KubeObject desired, CancellationToken cancellationToken)
    {
        var kind = ManagedKinds.Find(desired.ApiVersion, desired.Kind);
        if (kind is null || !Cache.Serves(kind))
        {
            return new ApplyOutcome(null, NotServed(desired), null, null);
        }

        var key = Key(kind, desired);
        try
        {
            var (outcome, live) = await applier.ApplyAsync(kind, desired, owner, state, cancellationToken).ConfigureAwait(false);
            var reason = WorkloadReadiness.NotReadyReason(live);
            if (outcome is ApplyAction.Create or ApplyAction.Update && reason is null && live.Kind is "DaemonSet" or "Deployment")
            {
                reason = "rollout not observed yet";
            }

            if (reason is null)
            {
                podProblems?.Forget(live);
            }
            else if (podProblems is not null && await podProblems.ReasonAsync(live, reason, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                // A refusal or a pod the kubelet cannot start needs a person; it is not a rollout in progress.
                reason = problem;
            }

            return new ApplyOutcome(key, null, reason, $"{live.Kind} {live.Metadata.Name}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OwnerChangedException)
        {
            // A kind whose CRD went after the cache last looked (cert-manager uninstalled) reads as when it is known missing.
            return new ApplyOutcome(key, ApiErrors.IsKindNotServed(ex)
                ? NotServed(desired)
                : $"applying {desired.Kind} {desired.Metadata.Name} failed: {ApiErrors.Describe(ex)}", null, null);
        }
    }

    private async Task<StateResult> RemoveAllAsync(Owner owner, string state, LabelSelector selector, CancellationToken cancellationToken)
    {
        var (removing, kept, failures) = await DeleteControlledAsync(owner, state, selector, cancellationToken).ConfigureAwait(false);
        var keptText = kept.Count == 0 ? string.Empty
            : $"CustomResourceDefinitions {StatusMessages.Names(kept)} are kept because they hold user data; delete them by hand to remove that data";
        if (failures.Count > 0)
        {
            return StateResult.NotReady(state, string.Join("; ", failures.Take(StatusMessages.MaxNamesListed)));
        }

        return removing > 0
            ? StateResult.NotReady(state, "section removed: deleting its objects" + (keptText.Length > 0 ? "; " + keptText : string.Empty))
            : StateResult.Ignore(state, keptText);
    }

    // Deletes what the owner controls in this state (CustomResourceDefinitions excepted: they hold user data).
    private async Task<(int Removing, List<string> Kept, List<string> Failures)> DeleteControlledAsync(Owner owner, string state, LabelSelector selector,
        CancellationToken cancellationToken)
    {
        var removing = 0;
        var kept = new List<string>();
        var failures = new List<string>();
        foreach (var (kind, obj) in Cache.ControlledBy(owner.Uid, selector).ToList())
        {
            if (kind == ManagedKinds.CustomResourceDefinition)
            {
                kept.Add(obj.Metadata.Name);
                continue;
            }

            removing++;
            if (obj.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            try
            {
                await applier.DeleteAsync(kind, obj, state, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add($"deleting {obj.Kind} {obj.Metadata.Name} failed: {ApiErrors.Describe(ex)}");
            }
        }

        return (removing, kept, failures);
    }

    private static string Key(ResourceKind kind, KubeObject obj) =>
        $"{kind.Resource}/{(kind.Namespaced ? obj.Metadata.NamespaceProperty : null)}/{obj.Metadata.Name}";

    private static void AddTo(Dictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
