using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Validation;

/// <summary>Reads of a decoded object the way Go's zero values behave: a missing string is "", a missing list empty.</summary>
internal static class Json
{
    public static string Str(JsonObject? obj, string key) => obj is null ? "" : GoValue.Text(obj[key]);

    public static JsonObject? Obj(JsonObject? obj, string key) => obj?[key] as JsonObject;

    public static JsonArray Arr(JsonObject? obj, string key) => obj?[key] as JsonArray ?? [];

    public static bool Has(JsonObject? obj, string key) => obj?[key] is not null;

    public static long? Int(JsonObject? obj, string key) => obj?[key].GetInt64();

    public static IEnumerable<(int Index, JsonObject Item)> Items(JsonObject? obj, string key)
    {
        var index = 0;
        foreach (var item in Arr(obj, key))
        {
            yield return (index++, item as JsonObject ?? new JsonObject());
        }
    }
}
