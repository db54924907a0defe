using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Selectors;

/// <summary>Converts a structured metav1.LabelSelector (matchLabels, matchExpressions) into a parsed selector.</summary>
public static class LabelSelectors
{
    /// <summary>Null selector matches nothing (returns null); an empty one matches everything.</summary>
    public static LabelSelector? FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var terms = new List<string>();
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            terms.AddRange(matchLabels.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression.GetString("key") ?? "";
            var values = string.Join(",", (expression["values"] as JsonArray ?? []).Select(v => v?.ToString()));
            terms.Add(expression.GetString("operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => throw Errors.ApiErrors.BadRequest($"\"{op}\" is not a valid label selector operator"),
            });
        }

        return LabelSelector.Parse(string.Join(",", terms));
    }
}
