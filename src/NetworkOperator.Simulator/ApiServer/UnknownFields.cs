using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// What the real server does with fields a kind does not declare, at the point it decodes the request: built-in kinds
/// by their Go types, custom resources by their structural schema (and ObjectMeta for metadata). The field is dropped
/// in every mode; fieldValidation decides what the client hears: nothing (Ignore), a warning per field (Warn, the
/// default), or a refusal (Strict, kubectl's default), worded as the create/update or patch handler words it.
/// </summary>
internal static class UnknownFields
{
    /// <summary>Removes the undeclared fields of <paramref name="obj"/> and returns their paths.</summary>
    public static List<string> Prune(ResourceType type, JsonObject obj)
    {
        if (!type.IsCustom)
        {
            return BuiltInFields.MessageOf(type) is { } message ? BuiltInFields.Prune(obj, message) : [];
        }

        var unknown = BuiltInFields.PruneMetadata(obj);
        if (type.Schema is { } schema)
        {
            unknown.AddRange(StructuralSchema.Prune(obj, schema));
        }

        return unknown;
    }

    /// <summary>A create or update body: under Strict, the decoder's 400.</summary>
    public static void CheckBody(ResourceType type, JsonObject obj, WriteOptions options)
    {
        var unknown = Prune(type, obj);
        if (unknown.Count > 0 && Report(unknown, options))
        {
            throw ApiErrors.BadRequest(
                $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {StrictDecodingError(unknown)}");
        }
    }

    /// <summary>
    /// The object a JSON, merge or strategic merge patch produced: under Strict, the patch handler's 422 on field
    /// "patch", whose value is the patched object's JSON (JSON and merge patches) or the patch as Go prints a map
    /// (strategic merge patches).
    /// </summary>
    public static void CheckPatched(ResourceType type, JsonObject patched, PatchType patchType, JsonNode? patch, WriteOptions options)
    {
        // Printed before pruning: the real server shows what the patch produced, unknown fields included.
        var printed = options.FieldValidation != "Strict" ? "" : patchType == PatchType.StrategicMerge ? GoMap(patch) : SortedJson(patched);
        var unknown = Prune(type, patched);
        if (unknown.Count > 0 && Report(unknown, options))
        {
            throw ApiErrors.InvalidRequest(null, null,
                [new StatusCause("FieldValueInvalid", $"Invalid value: {GoValue.Quote(printed)}: {StrictDecodingError(unknown)}", "patch")]);
        }
    }

    /// <summary>
    /// A server-side apply configuration of a built-in kind: its typed conversion fails on a field the schema lacks,
    /// whatever fieldValidation says, and the error reaches the client as a 500 (the server does not wrap it in a
    /// status). Custom resources are pruned as any other write.
    /// </summary>
    public static void CheckApplied(ResourceType type, JsonObject applied)
    {
        if (type.IsCustom || BuiltInFields.MessageOf(type) is not { } message)
        {
            return;
        }

        var unknown = BuiltInFields.Prune(applied.DeepClone().AsObject(), message);
        if (unknown.Count == 0)
        {
            return;
        }

        var errors = unknown.Select(p => $".{p}: field not declared in schema").ToList();
        var text = errors.Count == 1 ? errors[0] : "errors:\n" + string.Join("\n", errors.Select(e => "  " + e));
        // Named as the applied configuration names itself (its metadata), not as the URL does.
        var metadata = applied["metadata"] as JsonObject;
        var gvk = $"{type.Group}/{type.Version}, Kind={type.Kind}";
        throw new ApiException(500, "",
            $"failed to create typed patch object ({metadata?["namespace"]}/{metadata?["name"]}; {gvk}): {text}");
    }

    /// <summary>True when the caller asked for Strict; under Warn the paths become warnings.</summary>
    private static bool Report(List<string> unknown, WriteOptions options)
    {
        switch (options.FieldValidation)
        {
            case "Strict":
                return true;
            case "Ignore":
                return false;
            default:
                foreach (var path in unknown)
                {
                    options.Warnings?.Add($"unknown field \"{path}\"");
                }

                return false;
        }
    }

    private static string StrictDecodingError(IEnumerable<string> unknown) =>
        "strict decoding error: " + string.Join(", ", unknown.Select(p => $"unknown field {GoValue.Quote(p)}"));

    // Go re-encodes the patched object from maps, which writes keys in sorted order.
    private static string SortedJson(JsonNode? node)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(Utf8JsonWriter writer, JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    writer.WriteStartObject();
                    foreach (var (key, value) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(key);
                        Write(writer, value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonArray array:
                    writer.WriteStartArray();
                    foreach (var item in array)
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                case null:
                    writer.WriteNullValue();
                    break;
                default:
                    node.WriteTo(writer);
                    break;
            }
        }
    }

    /// <summary>A decoded JSON value as Go's %+v prints it: map[a:1 b:[x y]] with sorted keys.</summary>
    private static string GoMap(JsonNode? node) => node switch
    {
        JsonObject obj => "map[" + string.Join(" ", obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + GoMap(kv.Value))) + "]",
        JsonArray array => "[" + string.Join(" ", array.Select(GoMap)) + "]",
        null => "<nil>",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => GoNumber(value),
        _ => node.ToJsonString(),
    };

    // The patch handler decodes numbers as int64 when they are integers, float64 (%v: shortest form) otherwise.
    private static string GoNumber(JsonValue value) =>
        value.TryGetValue<long>(out var integer) ? integer.ToString(CultureInfo.InvariantCulture)
        : value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture);
}
