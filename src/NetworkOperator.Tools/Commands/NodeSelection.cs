using System.Globalization;
using NetworkOperator.Cli;

namespace NetworkOperator.Tools.Commands;

/// <summary>
/// What the simulated cluster runs on, from <c>--nodes</c> and <c>--node-count</c>. <c>--nodes</c> names an inventory
/// file; a whole number given there instead (<c>demo --nodes 1000</c>, as benchmark write-ups often spell it) means that
/// many synthetic nodes, unless a file of that name exists, so an existing inventory never changes meaning.
/// </summary>
internal sealed record NodeSelection(string? InventoryFile, int? Count)
{
    public static NodeSelection From(string? nodes, int? nodeCount)
    {
        if (nodes is not null && nodeCount is not null)
        {
            throw new UserErrorException("--nodes and --node-count cannot be used together");
        }

        if (nodes is null || File.Exists(nodes))
        {
            return new NodeSelection(nodes, nodeCount);
        }

        if (int.TryParse(nodes, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return count >= 1
                ? new NodeSelection(null, count)
                : throw new UserErrorException($"--nodes: a node count must be at least 1, got {nodes}");
        }

        throw new UserErrorException($"--nodes: file '{nodes}' does not exist (for synthetic nodes give a number, or use --node-count N)");
    }
}
