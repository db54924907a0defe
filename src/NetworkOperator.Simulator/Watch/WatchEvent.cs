using System.Text;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Watch;

/// <summary>
/// One change in storage. Its wire line is built at most once and shared by every watcher that receives it in the
/// plain JSON form, which is what keeps fan-out to many watchers cheap.
/// </summary>
public sealed class WatchEvent
{
    private byte[]? _line;
    private object? _alternateLine;

    public WatchEvent(WatchEventType type, StoredObject obj, StoredObject? previous)
    {
        Type = type;
        Object = obj;
        Previous = previous;
    }

    public WatchEventType Type { get; }

    /// <summary>The object after the change; for DELETED the last state, stamped with the deletion's resourceVersion.</summary>
    public StoredObject Object { get; }

    /// <summary>The object before the change (MODIFIED and DELETED), so filtered watchers can see objects leave their view.</summary>
    public StoredObject? Previous { get; }

    public long ResourceVersion => Object.ResourceVersion;

    /// <summary>The newline-terminated JSON line of this event as the given type (normally <see cref="Type"/>).</summary>
    public byte[] GetLine(WatchEventType asType)
    {
        if (asType != Type)
        {
            return BuildLine(asType, Object.Json);
        }

        return _line ??= BuildLine(Type, Object.Json);
    }

    /// <summary>Caches one alternate rendering (e.g. a one-row Table) keyed by its renderer, built once per event.</summary>
    internal byte[] GetAlternateLine(object renderer, WatchEventType asType, Func<byte[]> build)
    {
        if (asType != Type)
        {
            return build();
        }

        if (_alternateLine is (object owner, byte[] cached) && ReferenceEquals(owner, renderer))
        {
            return cached;
        }

        var line = build();
        _alternateLine = (renderer, line);
        return line;
    }

    public static byte[] BuildLine(WatchEventType type, ReadOnlySpan<byte> objectJson)
    {
        var prefix = Prefixes[(int)type];
        var line = new byte[prefix.Length + objectJson.Length + 2];
        prefix.CopyTo(line, 0);
        objectJson.CopyTo(line.AsSpan(prefix.Length));
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }

    private static readonly byte[][] Prefixes =
    [
        Encoding.UTF8.GetBytes("{\"type\":\"ADDED\",\"object\":"),
        Encoding.UTF8.GetBytes("{\"type\":\"MODIFIED\",\"object\":"),
        Encoding.UTF8.GetBytes("{\"type\":\"DELETED\",\"object\":"),
        Encoding.UTF8.GetBytes("{\"type\":\"BOOKMARK\",\"object\":"),
        Encoding.UTF8.GetBytes("{\"type\":\"ERROR\",\"object\":"),
    ];
}
