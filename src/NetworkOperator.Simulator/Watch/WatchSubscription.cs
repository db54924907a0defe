using System.Runtime.CompilerServices;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Watch;

/// <summary>
/// An open watch for in-process consumers and the HTTP stream alike: the initial events (current objects or replayed
/// history) followed by live changes. Dispose to stop watching.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly ResourceService _service;

    internal WatchSubscription(ResourceService service, ResourceType type, Watcher watcher, IReadOnlyList<WatchDelivery> initial,
        long startResourceVersion, WatchOptions options)
    {
        _service = service;
        Type = type;
        Watcher = watcher;
        Initial = initial;
        StartResourceVersion = startResourceVersion;
        Options = options;
    }

    public ResourceType Type { get; }

    public Watcher Watcher { get; }

    public IReadOnlyList<WatchDelivery> Initial { get; }

    /// <summary>The revision current when the watch opened (what an initial-events-end bookmark reports).</summary>
    public long StartResourceVersion { get; }

    public WatchOptions Options { get; }

    public async IAsyncEnumerable<WatchDelivery> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var delivery in Initial)
        {
            yield return delivery;
        }

        await foreach (var delivery in Watcher.Reader.ReadAllAsync(cancellationToken))
        {
            yield return delivery;
        }
    }

    /// <summary>Queues a BOOKMARK behind every change already queued.</summary>
    public void RequestBookmark(bool initialEventsEnd = false) => _service.RequestBookmark(Watcher, Type, initialEventsEnd);

    public void Dispose() => Watcher.Close("closed by the client");
}
