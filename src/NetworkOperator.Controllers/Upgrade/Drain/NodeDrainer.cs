using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Drains a node like <c>kubectl drain</c>: lists the node's pods in every namespace through the drain selector,
/// filters them (<see cref="DrainPodFilter"/>), evicts each through the Eviction API so PodDisruptionBudgets are
/// honoured, retries evictions the API answers 429 (or 409) until the timeout, and waits until the evicted pods are gone.
/// Whatever blocks it is reported by name ("eviction of pod ns/x blocked by PodDisruptionBudget y"). With a
/// <see cref="DrainPodCache"/> the node's pods and their departure come from that cache instead of a LIST per node and
/// a GET per evicted pod; the evictions are API calls either way.
/// </summary>
public sealed class NodeDrainer
{
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DrainPodCache? _pods;

    public NodeDrainer(IKubernetes client, TimeProvider? time = null, ILogger? logger = null, DrainPodCache? pods = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _pods = pods;
    }

    /// <summary>Wait before repeating an eviction answered 409 Conflict (a race on the budget, not a refusal).</summary>
    public TimeSpan ConflictRetryInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Wait between eviction attempts refused with 429 (kubectl waits 5 s).</summary>
    public TimeSpan EvictionRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of the checks that evicted pods are gone.</summary>
    public TimeSpan DeletionPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long past its grace period an evicted pod may take to go before the drain reports it as a blocker: a pod
    /// held by a finalizer, or on a node whose kubelet is gone, never terminates, and with no drain timeout the upgrade
    /// would otherwise wait without a word.
    /// </summary>
    public TimeSpan TerminationSlack { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Drains <paramref name="nodeName"/>. Never throws for drain problems: they come back as a failed outcome whose
    /// error names the blocking pods. <paramref name="onBlocked"/> receives the current blocker (null when cleared).
    /// </summary>
    public async Task<DrainOutcome> DrainAsync(string nodeName, DrainOptions options, Action<string?>? onBlocked = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentNullException.ThrowIfNull(options);
        var started = _time.GetUtcNow();
        using var timeout = options.Timeout > TimeSpan.Zero ? new CancellationTokenSource(options.Timeout, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var state = new DrainState(onBlocked);
        try
        {
            IEnumerable<V1Pod> pods = _pods is null
                ? (await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={nodeName}", labelSelector: options.PodSelector,
                    cancellationToken: linked.Token).ConfigureAwait(false)).Items
                : await _pods.PodsOnAsync(nodeName, options.PodSelector, linked.Token).ConfigureAwait(false);
            var toEvict = new List<V1Pod>();
            var refusals = new List<string>();
            foreach (var pod in pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
            {
                var decision = DrainPodFilter.Classify(pod, options);
                switch (decision.Action)
                {
                    case DrainPodAction.Evict:
                        toEvict.Add(pod);
                        break;
                    case DrainPodAction.Refuse:
                        refusals.Add(decision.Reason!);
                        break;
                }
            }

            if (refusals.Count > 0)
            {
                // As kubectl: nothing is evicted when any pod cannot be, so the node is not left half drained.
                return DrainOutcome.Failure("cannot drain node " + nodeName + ": " + string.Join("; ", refusals));
            }

            await Task.WhenAll(toEvict.Select(p => EvictAndWaitAsync(p, state, linked.Token))).ConfigureAwait(false);
            state.Report(null);
            return DrainOutcome.Success(toEvict.Count);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var blocker = state.Current ?? state.Pending();
            return DrainOutcome.Failure(
                $"drain of node {nodeName} did not complete within {options.Timeout.TotalSeconds:0}s" + (blocker is null ? string.Empty : ": " + blocker));
        }
        catch (HttpOperationException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return DrainOutcome.Failure($"drain of node {nodeName} failed after {(_time.GetUtcNow() - started).TotalSeconds:0}s: "
                + $"{(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase} {Truncate(ex.Response.Content)}");
        }
    }

    private async Task EvictAndWaitAsync(V1Pod pod, DrainState state, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        var id = $"{ns}/{name}";
        state.Start(id);
        while (true)
        {
            try
            {
                await _client.CoreV1.CreateNamespacedPodEvictionAsync(
                    new V1Eviction { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } }, name, ns,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                state.Cleared(id);
                break;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                state.Done(id);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Concurrent evictions under one budget race on its status; the server retries that itself, and when
                // its retries run out the conflict still says nothing about the pod: try again shortly.
                await Task.Delay(ConflictRetryInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var budget = await BlockingBudgetAsync(pod, cancellationToken).ConfigureAwait(false);
                var message = budget is null
                    ? $"eviction of pod {id} refused: {Truncate(ex.Response.Content)}"
                    : $"eviction of pod {id} blocked by PodDisruptionBudget {budget}";
                state.Blocked(id, message);
                UpgradeLog.EvictionBlocked(_logger, message);
                await Task.Delay(EvictionRetryInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        // Evicted: the pod is gone once it no longer exists or a new pod (another UID) took its name.
        state.Waiting(id, $"waiting for evicted pod {id} to terminate");
        var grace = TimeSpan.FromSeconds(pod.Spec?.TerminationGracePeriodSeconds ?? 30);
        var stuckAt = _time.GetUtcNow() + grace + TerminationSlack;
        var reported = false;
        void ReportIfStuck()
        {
            if (!reported && _time.GetUtcNow() >= stuckAt)
            {
                reported = true;
                state.Blocked(id, $"eviction of pod {id} accepted, but the pod is still terminating {(grace + TerminationSlack).TotalSeconds:0}s later " +
                    $"(grace period {grace.TotalSeconds:0}s): a finalizer or an unreachable kubelet holds it");
            }
        }

        if (_pods is not null)
        {
            // Woken by the cache when a pod goes (or a replacement of the same name arrives); the poll is a safety net.
            while (true)
            {
                var change = _pods.NextChange();
                if (_pods.IsGone(pod))
                {
                    break;
                }

                ReportIfStuck();

                using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(change, Task.Delay(DeletionPollInterval, _time, poll.Token)).ConfigureAwait(false);
                await poll.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            state.Done(id);
            return;
        }

        while (true)
        {
            try
            {
                var current = await _client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (current.Metadata.Uid != pod.Metadata.Uid)
                {
                    break;
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                break;
            }

            ReportIfStuck();
            await Task.Delay(DeletionPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        state.Done(id);
    }

    /// <summary>The PodDisruptionBudget whose selector matches the pod (the one that refused the eviction).</summary>
    private async Task<string?> BlockingBudgetAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            var budgets = await _client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(pod.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return budgets.Items.Where(b => LabelSelectors.Matches(b.Spec?.Selector, pod.Metadata.Labels))
                .Select(b => b.Metadata.Name).FirstOrDefault();
        }
        catch (HttpOperationException ex) when (ApiErrors.StatusOf(ex) is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string Truncate(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Length <= 300 ? text : text[..300] + "...";

    /// <summary>Which pods are still to go and what blocks them; shared by the concurrent evictions of one drain.</summary>
    private sealed class DrainState(Action<string?>? onBlocked)
    {
        private readonly Lock _lock = new();
        private readonly SortedDictionary<string, string?> _pending = new(StringComparer.Ordinal);

        public string? Current { get; private set; }

        public void Start(string pod)
        {
            lock (_lock)
            {
                _pending[pod] = null;
            }
        }

        public void Blocked(string pod, string message)
        {
            lock (_lock)
            {
                _pending[pod] = message;
            }

            Report(message);
        }

        public void Cleared(string pod)
        {
            string? next;
            lock (_lock)
            {
                _pending[pod] = null;
                next = NextRefusal();
            }

            Report(next);
        }

        public void Waiting(string pod, string message)
        {
            lock (_lock)
            {
                _pending[pod] = message;
            }
        }

        public void Done(string pod)
        {
            string? next;
            lock (_lock)
            {
                _pending.Remove(pod);
                next = NextRefusal();
            }

            Report(next);
        }

        // Only refused evictions block a drain; a pod still terminating after its eviction is the drain's normal course
        // (reporting it would put a Warning on every node whose pods have a grace period). The timeout names both.
        private string? NextRefusal() => _pending.Values.FirstOrDefault(v => v is not null && v.StartsWith("eviction", StringComparison.Ordinal));

        public string? Pending()
        {
            lock (_lock)
            {
                return _pending.Count == 0 ? null : string.Join("; ", _pending.Select(p => p.Value ?? $"pod {p.Key} not yet evicted"));
            }
        }

        public void Report(string? message)
        {
            lock (_lock)
            {
                if (message == Current)
                {
                    return;
                }

                Current = message;
            }

            onBlocked?.Invoke(message);
        }
    }
}
