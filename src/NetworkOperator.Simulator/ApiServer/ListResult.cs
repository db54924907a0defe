using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>One page of a list call: the items, the revision the list reflects and the token for the next page.</summary>
public sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount)
{
    public IEnumerable<JsonObject> Objects => Items.Select(i => i.ToJsonObject());
}
