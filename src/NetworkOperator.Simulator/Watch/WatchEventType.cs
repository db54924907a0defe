namespace NetworkOperator.Simulator.Watch;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

internal static class WatchEventTypeNames
{
    public static string ToWire(this WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
