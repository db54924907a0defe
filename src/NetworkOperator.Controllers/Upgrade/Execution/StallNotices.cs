using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Which upgrade stalls are news for the log. A pass stalls, for instance, while a driver DaemonSet still has pods to
/// schedule, and every pass says so with the counts of the moment: on an install that was one log line per pass, tens
/// a second. A stall is logged when it begins and when its reason changes other than in its numbers.
/// </summary>
internal sealed partial class StallNotices
{
    private readonly ConcurrentDictionary<string, string> _current = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="reason"/> should be logged for the policy; a null reason ends its stall.</summary>
    public bool IsNews(string policy, string? reason)
    {
        if (reason is null)
        {
            _current.TryRemove(policy, out _);
            return false;
        }

        var shape = Numbers().Replace(reason, "#");
        if (_current.TryGetValue(policy, out var last) && last == shape)
        {
            return false;
        }

        _current[policy] = shape;
        return true;
    }

    [GeneratedRegex("[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Numbers();
}
