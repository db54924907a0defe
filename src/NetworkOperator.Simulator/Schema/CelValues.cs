using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Schema;

/// <summary>
/// JSON values in the shapes the Cel library reads: objects as string-keyed dictionaries (the only map type it allows
/// field selection on), lists, int64 for `integer` fields, double for `number`, strings, booleans and null.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? node, JsonObject? schema) => node switch
    {
        null => null,
        JsonObject obj => FromObject(obj, schema),
        JsonArray array => array.Select(item => From(item, schema?["items"] as JsonObject)).ToList(),
        JsonValue value => FromScalar(value, schema),
        _ => null,
    };

    private static Dictionary<string, object?> FromObject(JsonObject obj, JsonObject? schema)
    {
        var properties = schema?["properties"] as JsonObject;
        var additional = schema?["additionalProperties"] as JsonObject;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, child) in obj)
        {
            result[name] = From(child, properties?[name] as JsonObject ?? additional);
        }

        return result;
    }

    private static object? FromScalar(JsonValue value, JsonObject? schema)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var text = value.ToJsonString();
                var declared = schema?["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
                if (declared != "number" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer;
                }

                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
