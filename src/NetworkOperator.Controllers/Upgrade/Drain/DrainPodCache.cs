using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.Contract;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// The pods of every namespace that a drain may evict (<see cref="Selector"/>), cached by an informer that runs only
/// while an upgrade drains: started by the first drain, stopped by the upgrade controller once no node waits for or
/// runs a drain. A rolling upgrade then costs one LIST and one WATCH of pods instead of a LIST of each drained node's
/// pods plus a GET per evicted pod until it is gone. Pods are slimmed to what <see cref="DrainPodFilter"/> and the
/// drain read, so the cache costs a few hundred bytes per workload pod during an upgrade, and nothing between upgrades.
/// </summary>
public sealed class DrainPodCache : IAsyncDisposable
{
    /// <summary>
    /// Pods a drain may evict: not skip-labelled, and not made by a DaemonSet (a drain never evicts those, and its
    /// controller labels every pod it makes with <c>pod-template-generation</c>). DaemonSet pods are most of a cluster's
    /// pods (a dozen per node with every component of the policy), so the server leaves them out of the list and watch.
    /// </summary>
    public const string Selector = Labels.DrainSkipSelector + ",!" + DaemonSetPodLabel;

    private const string DaemonSetPodLabel = "pod-template-generation";

    private readonly IKubernetes _client;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Running? _running;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DrainPodCache(IKubernetes client, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
    }

    public bool IsRunning => Volatile.Read(ref _running) is not null;

    /// <summary>
    /// The cached pods bound to <paramref name="node"/> that match <paramref name="selector"/>; starts the cache and
    /// waits for its first list when it is not running.
    /// </summary>
    public async Task<IReadOnlyList<V1Pod>> PodsOnAsync(string node, string? selector, CancellationToken cancellationToken)
    {
        var informer = await StartAsync(cancellationToken).ConfigureAwait(false);
        var match = LabelSelector.Parse(selector);
        return [.. informer.Store.List().Where(p => p.Spec?.NodeName == node && match.Matches(p.Metadata.Labels))];
    }

    /// <summary>
    /// Whether <paramref name="pod"/> has left: no cached pod of its name, or one with another UID (a replacement).
    /// A stopped cache knows nothing, so it answers false and the caller keeps waiting (its drain was cancelled anyway).
    /// </summary>
    public bool IsGone(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (Volatile.Read(ref _running) is not { } running)
        {
            return false;
        }

        var current = running.Informer.Store.Get(new ObjectKey(pod.Metadata.NamespaceProperty, pod.Metadata.Name));
        return current is null || current.Metadata.Uid != pod.Metadata.Uid;
    }

    /// <summary>
    /// Completes at the cache's next pod added or deleted, so a drain waiting for its evicted pods to go wakes when one
    /// goes rather than at its next poll. Take it before asking <see cref="IsGone"/>, so no change falls in between.
    /// </summary>
    public Task NextChange() => Volatile.Read(ref _changed).Task;

    private void Changed() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Stops the informer and drops its pods; the next drain starts it again with a fresh list.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_running is not { } running)
            {
                return;
            }

            Volatile.Write(ref _running, null);
            await running.Stop.CancelAsync().ConfigureAwait(false);
            await running.Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            running.Stop.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task<Informer<V1Pod>> StartAsync(CancellationToken cancellationToken)
    {
        var running = Volatile.Read(ref _running);
        if (running is null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                running = _running;
                if (running is null)
                {
                    var informer = new Informer<V1Pod>(new ResourceClient<V1Pod>(_client), new InformerOptions
                    {
                        LabelSelector = Selector,
                        Transform = Slim,
                    }, loggerFactory: _loggerFactory, time: _time);
                    informer.AddHandler(new ResourceHandler<V1Pod>(onAdd: (_, _) => Changed(), onDelete: _ => Changed()));
                    var stop = new CancellationTokenSource();
                    running = new Running(informer, stop, Task.Run(() => informer.RunAsync(stop.Token), CancellationToken.None));
                    Volatile.Write(ref _running, running);
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        await running.Informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        return running.Informer;
    }

    // What a drain reads: identity, labels (selectors, budgets), the controller owner, the mirror annotation, deletion,
    // the node, emptyDir volumes and the phase.
    private static object Slim(object obj)
    {
        if (obj is not V1Pod pod)
        {
            return obj;
        }

        var metadata = pod.Metadata;
        return new V1Pod
        {
            ApiVersion = pod.ApiVersion,
            Kind = pod.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = metadata?.Name,
                NamespaceProperty = metadata?.NamespaceProperty,
                Uid = metadata?.Uid,
                ResourceVersion = metadata?.ResourceVersion,
                Labels = metadata?.Labels,
                DeletionTimestamp = metadata?.DeletionTimestamp,
                Annotations = metadata?.Annotations?.ContainsKey(DrainPodFilter.MirrorPodAnnotation) == true
                    ? new Dictionary<string, string> { [DrainPodFilter.MirrorPodAnnotation] = metadata.Annotations[DrainPodFilter.MirrorPodAnnotation] }
                    : null,
                OwnerReferences = metadata?.OwnerReferences?.Where(r => r.Controller == true)
                    .Select(r => new V1OwnerReference { ApiVersion = r.ApiVersion, Kind = r.Kind, Name = r.Name, Uid = r.Uid, Controller = true })
                    .ToList(),
            },
            Spec = pod.Spec is null
                ? null
                : new V1PodSpec
                {
                    NodeName = pod.Spec.NodeName,
                    Containers = [],
                    Volumes = pod.Spec.Volumes?.Where(v => v.EmptyDir is not null).Select(v => new V1Volume { Name = v.Name, EmptyDir = v.EmptyDir })
                        .ToList(),
                },
            Status = pod.Status is null ? null : new V1PodStatus { Phase = pod.Status.Phase },
        };
    }

    private sealed record Running(Informer<V1Pod> Informer, CancellationTokenSource Stop, Task Run);
}
