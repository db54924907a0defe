namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Keeps status messages short and stable. A message that changes on every reconcile (counters, generated names,
/// timestamps) would make every status write look like a change and, through the watch, trigger the next reconcile;
/// callers therefore build messages from stable facts only, and this caps their size.
/// </summary>
public static class StatusMessages
{
    public const int MaxLength = 512;

    /// <summary>At most this many object names are listed in one message; the rest are counted.</summary>
    public const int MaxNamesListed = 3;

    public static string Bound(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var singleLine = message.ReplaceLineEndings(" ").Trim();
        return singleLine.Length <= MaxLength ? singleLine : singleLine[..(MaxLength - 3)] + "...";
    }

    /// <summary><c>a, b, c and 4 more</c> (names sorted, so the text does not depend on list order).</summary>
    public static string Names(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var sorted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", sorted.Take(MaxNamesListed));
        return sorted.Count > MaxNamesListed ? $"{shown} and {sorted.Count - MaxNamesListed} more" : shown;
    }
}
