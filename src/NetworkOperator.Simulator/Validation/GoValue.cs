using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// Prints bad values as the real server's error messages do (Go's %q for strings, %v for numbers, %#v for maps and
/// structs), so a message reads the same as from kube-apiserver.
/// </summary>
internal static class GoValue
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    }
                    else
                    {
                        text.Append(rune.ToString());
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>map[string]string{"a":"b", "c":"d"} with sorted keys, as Go prints label maps.</summary>
    public static string StringMap(JsonObject? map)
    {
        if (map is null)
        {
            return "map[string]string(nil)";
        }

        var entries = map.Select(kv => (kv.Key, Value: Text(kv.Value))).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{Quote(kv.Key)}:{Quote(kv.Value)}");
        return "map[string]string{" + string.Join(", ", entries) + "}";
    }

    /// <summary>[]string{"a", "b"}.</summary>
    public static string StringList(JsonArray? list) =>
        list is null ? "[]string(nil)" : "[]string{" + string.Join(", ", list.Select(v => Quote(Text(v)))) + "}";

    /// <summary>A metav1.LabelSelector as %#v prints it.</summary>
    public static string LabelSelector(JsonObject? selector)
    {
        if (selector is null)
        {
            return "null";
        }

        var expressions = selector["matchExpressions"] as JsonArray;
        var printedExpressions = expressions is null
            ? "[]v1.LabelSelectorRequirement(nil)"
            : "[]v1.LabelSelectorRequirement{" + string.Join(", ", expressions.OfType<JsonObject>().Select(e =>
                $"v1.LabelSelectorRequirement{{Key:{Quote(e.GetStringOrEmpty("key"))}, Operator:{Quote(e.GetStringOrEmpty("operator"))}, " +
                $"Values:{StringList(e["values"] as JsonArray)}}}")) + "}";
        return $"v1.LabelSelector{{MatchLabels:{StringMap(selector["matchLabels"] as JsonObject)}, MatchExpressions:{printedExpressions}}}";
    }

    /// <summary>An intstr.IntOrString as %#v prints it.</summary>
    public static string IntOrString(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? $"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{Quote(v.GetValue<string>())}}}"
        : $"intstr.IntOrString{{Type:0, IntVal:{Text(value)}, StrVal:\"\"}}";

    /// <summary>
    /// Any JSON value: strings quoted, numbers and booleans plain; objects and lists as compact JSON (the real server
    /// prints Go structs there, which have no JSON-side equivalent).
    /// </summary>
    public static string Print(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    public static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static string GetStringOrEmpty(this JsonObject obj, string key) => Text(obj[key]);
}
