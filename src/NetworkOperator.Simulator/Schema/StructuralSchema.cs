using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Schema;

/// <summary>
/// A CRD version's structural schema applied as the real server applies it: pruning of unknown fields (unless
/// x-kubernetes-preserve-unknown-fields), defaults, then validation with the server's field paths and messages.
/// CEL rules (x-kubernetes-validations) are evaluated separately, by <see cref="CelRules"/>.
/// </summary>
public static class StructuralSchema
{
    private static readonly HashSet<string> RootFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>Removes fields the schema does not declare; returns their paths (for fieldValidation=Strict).</summary>
    public static IReadOnlyList<string> Prune(JsonObject obj, JsonObject schema)
    {
        var unknown = new List<string>();
        PruneObject(obj, schema, "", unknown, isRoot: true);
        return unknown;
    }

    /// <summary>Fills in `default` values of missing properties, recursively, as the server does on every write.</summary>
    public static void ApplyDefaults(JsonNode? node, JsonObject schema)
    {
        switch (node)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        if (propertySchema is not JsonObject ps)
                        {
                            continue;
                        }

                        if (!obj.ContainsKey(name) && ps["default"] is { } defaultValue)
                        {
                            obj[name] = defaultValue.DeepClone();
                        }

                        if (obj[name] is { } child)
                        {
                            ApplyDefaults(child, ps);
                        }
                    }
                }
                else if (schema["additionalProperties"] is JsonObject valueSchema)
                {
                    foreach (var (_, child) in obj.ToList())
                    {
                        ApplyDefaults(child, valueSchema);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array)
                {
                    ApplyDefaults(item, itemSchema);
                }

                break;
        }
    }

    public static List<StatusCause> Validate(JsonObject obj, JsonObject schema)
    {
        var causes = new List<StatusCause>();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (RootFields.Contains(name) || propertySchema is not JsonObject ps)
                {
                    continue;
                }

                if (obj.TryGetPropertyValue(name, out var value))
                {
                    ValidateNode(value, ps, name, causes);
                }
            }
        }

        Required(obj, schema, "", causes);
        return causes;
    }

    private static void PruneObject(JsonObject obj, JsonObject schema, string path, List<string> unknown, bool isRoot = false)
    {
        var preserve = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.TryGetValue<bool>(out var b) && b;
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, value) in obj.ToList())
        {
            if (isRoot && RootFields.Contains(name))
            {
                continue;
            }

            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var childSchema = properties?[name] as JsonObject ?? additional;
            if (childSchema is null)
            {
                if (!preserve && !(schema["additionalProperties"] is JsonValue ap && ap.TryGetValue<bool>(out var any) && any))
                {
                    obj.Remove(name);
                    unknown.Add(childPath);
                }

                continue;
            }

            if (value is null)
            {
                if (!(childSchema["nullable"] is JsonValue n && n.TryGetValue<bool>(out var nullable) && nullable))
                {
                    obj.Remove(name);
                }

                continue;
            }

            PruneNode(value, childSchema, childPath, unknown);
        }
    }

    private static void PruneNode(JsonNode node, JsonObject schema, string path, List<string> unknown)
    {
        switch (node)
        {
            case JsonObject obj when schema["properties"] is not null || schema["additionalProperties"] is not null
                                     || schema.GetTypeName() == "object":
                PruneObject(obj, schema, path, unknown);
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        PruneNode(item, itemSchema, $"{path}[{i}]", unknown);
                    }
                }

                break;
        }
    }

    private static void ValidateNode(JsonNode? value, JsonObject schema, string path, List<StatusCause> causes)
    {
        if (value is null)
        {
            if (!(schema["nullable"] is JsonValue n && n.TryGetValue<bool>(out var nullable) && nullable))
            {
                causes.Add(Invalid(path, "null", $"{path} in body must be of type {schema.GetTypeName() ?? "object"}: \"null\""));
            }

            return;
        }

        var intOrString = schema["x-kubernetes-int-or-string"] is JsonValue ios && ios.TryGetValue<bool>(out var isIos) && isIos;
        var kind = value.GetValueKind();
        if (intOrString)
        {
            if (kind != JsonValueKind.String && !IsInteger(value))
            {
                causes.Add(Invalid(path, Show(value), $"{path} in body must be of type integer,string: \"{TypeNameOf(value)}\""));
                return;
            }
        }
        else if (schema.GetTypeName() is { } type && !TypeMatches(type, value))
        {
            causes.Add(Invalid(path, Show(value), $"{path} in body must be of type {type}: \"{TypeNameOf(value)}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            causes.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: {Show(value)}: supported values: {string.Join(", ", allowed.Select(a => a?.ToJsonString()))}", path));
        }

        switch (value)
        {
            case JsonValue when kind == JsonValueKind.String:
                {
                    var text = value.GetValue<string>();
                    if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        causes.Add(Invalid(path, Show(value), $"{path} in body should match '{pattern}'"));
                    }

                    if (Number(schema["maxLength"]) is { } maxLength && text.Length > maxLength)
                    {
                        causes.Add(new StatusCause("FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes", path));
                    }

                    if (Number(schema["minLength"]) is { } minLength && text.Length < minLength)
                    {
                        causes.Add(Invalid(path, Show(value), $"{path} in body should be at least {minLength} chars long"));
                    }

                    break;
                }

            case JsonValue when kind == JsonValueKind.Number && !intOrString:
                {
                    var number = value.GetValue<JsonElement>().GetDouble();
                    var exclusiveMinimum = schema["exclusiveMinimum"] is JsonValue em && em.TryGetValue<bool>(out var emb) && emb;
                    var exclusiveMaximum = schema["exclusiveMaximum"] is JsonValue eM && eM.TryGetValue<bool>(out var eMb) && eMb;
                    if (Number(schema["minimum"]) is { } minimum && (exclusiveMinimum ? number <= minimum : number < minimum))
                    {
                        causes.Add(Invalid(path, Show(value),
                            $"{path} in body should be greater than {(exclusiveMinimum ? "" : "or equal to ")}{Format(minimum)}"));
                    }

                    if (Number(schema["maximum"]) is { } maximum && (exclusiveMaximum ? number >= maximum : number > maximum))
                    {
                        causes.Add(Invalid(path, Show(value),
                            $"{path} in body should be less than {(exclusiveMaximum ? "" : "or equal to ")}{Format(maximum)}"));
                    }

                    break;
                }

            case JsonArray array:
                {
                    if (Number(schema["maxItems"]) is { } maxItems && array.Count > maxItems)
                    {
                        causes.Add(new StatusCause("FieldValueTooMany", $"Too many: {array.Count}: must have at most {Format(maxItems)} items", path));
                    }

                    if (Number(schema["minItems"]) is { } minItems && array.Count < minItems)
                    {
                        causes.Add(Invalid(path, Show(value), $"{path} in body should have at least {Format(minItems)} items"));
                    }

                    if (schema["items"] is JsonObject itemSchema)
                    {
                        for (var i = 0; i < array.Count; i++)
                        {
                            ValidateNode(array[i], itemSchema, $"{path}[{i}]", causes);
                        }
                    }

                    break;
                }

            case JsonObject obj:
                {
                    if (schema["properties"] is JsonObject properties)
                    {
                        foreach (var (name, propertySchema) in properties)
                        {
                            if (propertySchema is JsonObject ps && obj.TryGetPropertyValue(name, out var child))
                            {
                                ValidateNode(child, ps, $"{path}.{name}", causes);
                            }
                        }
                    }
                    else if (schema["additionalProperties"] is JsonObject valueSchema)
                    {
                        foreach (var (name, child) in obj)
                        {
                            ValidateNode(child, valueSchema, $"{path}[{name}]", causes);
                        }
                    }

                    if (Number(schema["maxProperties"]) is { } maxProperties && obj.Count > maxProperties)
                    {
                        causes.Add(new StatusCause("FieldValueTooMany", $"Too many: {obj.Count}: must have at most {Format(maxProperties)} items", path));
                    }

                    if (Number(schema["minProperties"]) is { } minProperties && obj.Count < minProperties)
                    {
                        causes.Add(Invalid(path, Show(value), $"{path} in body should have at least {Format(minProperties)} properties"));
                    }

                    Required(obj, schema, path, causes);
                    break;
                }
        }
    }

    private static void Required(JsonObject obj, JsonObject schema, string path, List<StatusCause> causes)
    {
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r?.ToString() ?? ""))
        {
            if (!obj.ContainsKey(required) || obj[required] is null)
            {
                causes.Add(new StatusCause("FieldValueRequired", "Required value", path.Length == 0 ? required : $"{path}.{required}"));
            }
        }
    }

    private static string? GetTypeName(this JsonObject schema) =>
        schema["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;

    private static bool TypeMatches(string type, JsonNode value) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value.GetValueKind() == JsonValueKind.String,
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => IsInteger(value),
        "number" => value.GetValueKind() == JsonValueKind.Number,
        _ => true,
    };

    private static bool IsInteger(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
        && Math.Abs(d % 1) < double.Epsilon;

    private static string TypeNameOf(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
        _ => "null",
    };

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Show(JsonNode value) => value switch
    {
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        _ => value.ToJsonString(),
    };

    private static StatusCause Invalid(string path, string shown, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {shown}: {detail}", path);
}
