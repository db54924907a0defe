using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Tables;

/// <summary>
/// Label selectors and label sets as the server's printers write them (metav1.FormatLabelSelector and
/// labels.FormatLabels): requirements sorted by key, set values sorted, "&lt;none&gt;" for a selector that selects
/// everything or nothing.
/// </summary>
internal static class LabelSelectorText
{
    private const string None = "<none>";

    /// <summary>A metav1.LabelSelector (matchLabels and matchExpressions); a nil and an empty one print alike.</summary>
    public static string Of(JsonObject? selector)
    {
        if (selector is null)
        {
            return None;
        }

        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={SimpleJsonPath.Text(value)}"));
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression.GetString("key") ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(SimpleJsonPath.Text).Order(StringComparer.Ordinal).ToList();
            var text = expression.GetString("operator") switch
            {
                "In" when values.Count > 0 => $"{key} in ({string.Join(",", values)})",
                "NotIn" when values.Count > 0 => $"{key} notin ({string.Join(",", values)})",
                "Exists" when values.Count == 0 => key,
                "DoesNotExist" when values.Count == 0 => "!" + key,
                _ => null,
            };

            // The server could not turn it into a selector (an unknown operator, or values where none belong).
            if (text is null)
            {
                return "<error>";
            }

            requirements.Add((key, text));
        }

        // Equal keys keep their order (matchLabels first), as the server's sort does for a selector's few requirements.
        var joined = string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
        return joined.Length == 0 ? None : joined;
    }

    /// <summary>A plain label map (a replication controller's selector, a node selector): "k=v" sorted by key.</summary>
    public static string OfLabels(JsonObject? labels)
    {
        var joined = string.Join(",", (labels ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={SimpleJsonPath.Text(kv.Value)}"));
        return joined.Length == 0 ? None : joined;
    }
}
