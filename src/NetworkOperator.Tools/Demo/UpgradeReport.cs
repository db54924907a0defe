using System.Globalization;

namespace NetworkOperator.Tools.Demo;

/// <summary>The figures of a finished demo upgrade; requests are every HTTP client's (operator and demo) during it.</summary>
internal sealed record UpgradeReport(int Nodes, TimeSpan Elapsed, int MaxCordoned, IReadOnlyDictionary<(string Verb, string Resource), long> Requests)
{
    public long TotalRequests => Requests.Values.Sum();

    /// <summary>In a run of nodes upgraded one at a time: each node's time, the first from the version bump.</summary>
    public IReadOnlyList<TimeSpan> NodeTimes { get; init; } = [];

    /// <summary>CPU the upgrade took in the simulated cluster's process and in the operator's; null when not measured.</summary>
    public (TimeSpan Cluster, TimeSpan Operator)? Cpu { get; init; }

    /// <summary>Prints the figures; <paramref name="detailed"/> adds the requests by verb and resource.</summary>
    public void Print(TextWriter output, bool detailed = true)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nodes upgraded: {Nodes}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"upgrade time: {Elapsed.TotalSeconds:F1} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"most nodes cordoned at once: {MaxCordoned}"));
        if (!detailed)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"API requests during the upgrade: {TotalRequests}, {(Nodes == 0 ? 0 : TotalRequests / (double)Nodes):F1} per node upgraded"));
            return;
        }

        output.WriteLine("API requests during the upgrade (all clients) by verb:");
        foreach (var group in Requests.GroupBy(r => r.Key.Verb).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-16} {group.Sum(g => g.Value),8}"));
        }

        output.WriteLine("API requests during the upgrade by verb and resource:");
        foreach (var (key, value) in Requests.OrderByDescending(r => r.Value).ThenBy(r => r.Key.Verb, StringComparer.Ordinal)
                     .ThenBy(r => r.Key.Resource, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key.Verb,-8} {key.Resource,-32} {value,8}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"API requests during the upgrade: {TotalRequests}, {(Nodes == 0 ? 0 : TotalRequests / (double)Nodes):F1} per node upgraded"));
    }
}
