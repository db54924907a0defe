using k8s;
using k8s.Models;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// Follows the pods of one namespace through a watch and records, per node, each pod that started leaving (deletion
/// timestamp set, or deleted outright). With direct deletes ruled out by the request counters, each departure is an
/// eviction, so this counts evictions per node.
/// </summary>
internal sealed class PodDepartureLog : IAsyncDisposable
{
    private readonly Dictionary<string, string> _departedOn = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private PodDepartureLog(IKubernetes client, string ns, V1PodList initial)
    {
        _loop = Task.Run(() => FollowAsync(client, ns, initial.ResourceVersion(), _stop.Token));
    }

    public static async Task<PodDepartureLog> StartAsync(IKubernetes client, string ns) =>
        new(client, ns, await client.CoreV1.ListNamespacedPodAsync(ns));

    /// <summary>Departures so far, per node.</summary>
    public Dictionary<string, int> PerNode()
    {
        lock (_gate)
        {
            return _departedOn.Values.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    private async Task FollowAsync(IKubernetes client, string ns, string resourceVersion, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: resourceVersion,
                                   cancellationToken: cancellationToken))
                {
                    resourceVersion = pod.ResourceVersion();
                    if ((type == WatchEventType.Deleted || pod.Metadata.DeletionTimestamp is not null) && !string.IsNullOrEmpty(pod.Spec?.NodeName))
                    {
                        lock (_gate)
                        {
                            _departedOn.TryAdd(pod.Uid(), pod.Spec.NodeName);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The stream broke; resume from the last version seen (history covers the gap on the simulator).
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
