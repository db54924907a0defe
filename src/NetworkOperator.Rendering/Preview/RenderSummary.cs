using System.Text;

namespace NetworkOperator.Rendering.Preview;

/// <summary>The human summary of a render: components with their object counts, driver pools with their nodes, warnings.</summary>
public static class RenderSummary
{
    public static string Format(IReadOnlyList<StateOutcome> outcomes, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var text = new StringBuilder();
        var total = outcomes.Sum(o => o.Objects.Count);
        text.Append("Rendered ").Append(total).Append(" objects from ").Append(outcomes.Select(o => o.Source).Distinct().Count())
            .Append(" resources (").Append(nodeCount).Append(" nodes in the inventory)\n");
        var width = outcomes.Count == 0 ? 0 : outcomes.Max(o => o.Source.Length + o.State.Length + 3);
        foreach (var outcome in outcomes)
        {
            var label = $"{outcome.Source}  {outcome.State}";
            text.Append("  ").Append(label.PadRight(width));
            if (outcome.Error is not null)
            {
                text.Append("  ERROR: ").Append(outcome.Error.Message).Append('\n');
                continue;
            }

            text.Append("  ").Append(outcome.Objects.Count).Append(outcome.Objects.Count == 1 ? " object" : " objects");
            var kinds = outcome.Objects.GroupBy(o => o.Kind).Select(g => $"{g.Count()} {g.Key}");
            text.Append(" (").Append(string.Join(", ", kinds)).Append(")\n");
            foreach (var pool in outcome.Result!.DriverPools)
            {
                text.Append("      driver pool ").Append(pool.OsName).Append(pool.OsVersion).Append(' ').Append(pool.Kernel).Append(' ').Append(pool.Arch)
                    .Append(": ").Append(string.Join(", ", pool.NodeNames)).Append('\n');
            }

            foreach (var warning in outcome.Result.Warnings)
            {
                text.Append("      warning: ").Append(warning).Append('\n');
            }
        }

        return text.ToString();
    }
}
