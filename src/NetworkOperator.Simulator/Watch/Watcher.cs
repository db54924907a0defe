using System.Threading.Channels;
using NetworkOperator.Simulator.Selectors;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Watch;

/// <summary>An event as one watcher sees it: the type may differ from the stored change when selectors apply.</summary>
public readonly record struct WatchDelivery(WatchEventType Type, WatchEvent Event);

/// <summary>
/// One open watch: its filters and a bounded queue. A watcher that falls too far behind is closed (as the real
/// server does with slow watchers) instead of letting memory grow without bound; its client re-lists.
/// </summary>
public sealed class Watcher
{
    private readonly Channel<WatchDelivery> _channel;
    private int _closed;

    internal Watcher(string storageKey, string? ns, LabelSelector labels, FieldSelector fields, int capacity)
    {
        StorageKey = storageKey;
        Namespace = string.IsNullOrEmpty(ns) ? null : ns;
        Labels = labels;
        FieldsSelector = fields;
        _channel = Channel.CreateBounded<WatchDelivery>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string StorageKey { get; }

    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector FieldsSelector { get; }

    public ChannelReader<WatchDelivery> Reader => _channel.Reader;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Set when the watcher was closed because it fell behind, or by fault injection.</summary>
    public string? CloseReason { get; private set; }

    internal Action<Watcher>? OnClose { get; set; }

    public bool Matches(StoredObject obj) =>
        (Namespace is null || obj.Namespace == Namespace)
        && (Labels.IsEmpty || Labels.Matches(obj.Labels))
        && (FieldsSelector.IsEmpty || FieldsSelector.Matches(obj.FieldValue));

    /// <summary>Offers a change; translates it into what this watcher should see given its filters.</summary>
    internal void Offer(WatchEvent change)
    {
        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Previous is { } previous && Matches(previous);
        WatchEventType type;
        switch (change.Type)
        {
            case WatchEventType.Added:
                if (!matchesNow)
                {
                    return;
                }

                type = WatchEventType.Added;
                break;
            case WatchEventType.Deleted:
                if (!matchesNow)
                {
                    return;
                }

                type = WatchEventType.Deleted;
                break;
            default:
                if (matchesNow && matchedBefore)
                {
                    type = WatchEventType.Modified;
                }
                else if (matchesNow)
                {
                    type = WatchEventType.Added;
                }
                else if (matchedBefore)
                {
                    type = WatchEventType.Deleted;
                }
                else
                {
                    return;
                }

                break;
        }

        Deliver(new WatchDelivery(type, change));
    }

    internal void Deliver(WatchDelivery delivery)
    {
        if (!_channel.Writer.TryWrite(delivery))
        {
            Close("watcher fell too far behind");
        }
    }

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        _channel.Writer.TryComplete();
        OnClose?.Invoke(this);
    }
}
