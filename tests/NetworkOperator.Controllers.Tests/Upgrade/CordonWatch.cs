using k8s;
using k8s.Models;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// Follows the nodes through a watch and remembers the most nodes that were cordoned at once after any single event,
/// so the parallelism bound is checked at every observed step rather than at a few polled instants. It also collects
/// every upgrade-state label value seen and counts the nodes that left <c>upgrade-done</c> and reached it again, so a
/// test can wait for a whole upgrade without polling the API server (whose request counters it may be reading).
/// </summary>
internal sealed class CordonWatch : IAsyncDisposable
{
    private readonly Dictionary<string, bool> _cordoned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _states = new(StringComparer.Ordinal);
    private readonly HashSet<string> _left = new(StringComparer.Ordinal);
    private readonly HashSet<string> _doneAgain = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _max;

    private CordonWatch(IKubernetes client, V1NodeList initial)
    {
        Apply(initial.Items);
        _loop = Task.Run(() => FollowAsync(client, initial.ResourceVersion(), _stop.Token));
    }

    public int MaxCordoned
    {
        get
        {
            lock (_gate)
            {
                return _max;
            }
        }
    }

    public int Events { get; private set; }

    /// <summary>Nodes seen leaving <c>upgrade-done</c> after the watch started and seen back in it since.</summary>
    public int DoneAgain
    {
        get
        {
            lock (_gate)
            {
                return _doneAgain.Count;
            }
        }
    }

    public IReadOnlySet<string> StatesSeen
    {
        get
        {
            lock (_gate)
            {
                return new HashSet<string>(_states, StringComparer.Ordinal);
            }
        }
    }

    public static async Task<CordonWatch> StartAsync(IKubernetes client) =>
        new(client, await client.CoreV1.ListNodeAsync());

    private async Task FollowAsync(IKubernetes client, string resourceVersion, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(resourceVersion: resourceVersion, cancellationToken: cancellationToken))
                {
                    resourceVersion = node.ResourceVersion();
                    lock (_gate)
                    {
                        Events++;
                        if (type == WatchEventType.Deleted)
                        {
                            _cordoned.Remove(node.Name());
                        }
                        else
                        {
                            Track(node);
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
                // A broken or expired watch: start again from a fresh list (the maximum so far is kept).
                var list = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
                resourceVersion = list.ResourceVersion();
                Apply(list.Items);
            }
        }
    }

    private void Apply(IEnumerable<V1Node> nodes)
    {
        lock (_gate)
        {
            _cordoned.Clear();
            foreach (var node in nodes)
            {
                Track(node);
            }
        }
    }

    private void Track(V1Node node)
    {
        _cordoned[node.Name()] = node.Spec?.Unschedulable == true;
        string? state = null;
        if (node.Metadata.Labels?.TryGetValue(Api.Contract.Labels.UpgradeState, out state) == true)
        {
            _states.Add(state);
        }

        if (state != Controllers.Upgrade.UpgradeStates.UpgradeDone)
        {
            _left.Add(node.Name());
        }
        else if (_left.Contains(node.Name()))
        {
            _doneAgain.Add(node.Name());
        }

        _max = Math.Max(_max, _cordoned.Values.Count(c => c));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
