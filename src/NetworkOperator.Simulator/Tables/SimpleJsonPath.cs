using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetworkOperator.Simulator.Tables;

/// <summary>
/// The JSONPath subset printer columns use: ".a.b", ".a[0]", ".a[*].b" and filters like
/// ".status.conditions[?(@.type=="Ready")].status".
/// </summary>
internal static partial class SimpleJsonPath
{
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        text = text.TrimStart('$');
        var current = new List<JsonNode?> { root };
        foreach (Match step in StepPattern().Matches(text))
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (step.Groups["name"].Success)
                {
                    if (node is JsonObject obj && obj.TryGetPropertyValue(step.Groups["name"].Value, out var child))
                    {
                        next.Add(child);
                    }
                }
                else if (step.Groups["index"].Success && node is JsonArray arr)
                {
                    var index = step.Groups["index"].Value;
                    if (index == "*")
                    {
                        next.AddRange(arr);
                    }
                    else if (int.TryParse(index, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                    {
                        i = i < 0 ? arr.Count + i : i;
                        if (i >= 0 && i < arr.Count)
                        {
                            next.Add(arr[i]);
                        }
                    }
                }
                else if (step.Groups["field"].Success && node is JsonArray filtered)
                {
                    var field = step.Groups["field"].Value;
                    var expected = step.Groups["value"].Value;
                    next.AddRange(filtered.Where(e => e is JsonObject o && Text(o[field]) == expected));
                }
            }

            current = next;
        }

        return current;
    }

    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    [GeneratedRegex("""\.(?<name>[A-Za-z0-9_\-/]+)|\[(?<index>\*|-?\d+)\]|\[\?\(@\.(?<field>[A-Za-z0-9_]+)\s*==\s*["'](?<value>[^"']*)["']\)\]""")]
    private static partial Regex StepPattern();
}
