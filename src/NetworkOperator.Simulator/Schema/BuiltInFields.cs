using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization.Protobuf;

namespace NetworkOperator.Simulator.Schema;

/// <summary>
/// The JSON fields of the built-in kinds as Kubernetes 1.32 declares them, read from the same generated table the
/// protobuf decoder uses. A real server decodes every body into its Go type, so a field the type lacks never reaches
/// storage: it is dropped (with a warning under fieldValidation=Warn) or refused (Strict). Without this, an object with
/// a misspelled or too-new field would be stored here and silently lose that field on a real cluster.
/// </summary>
internal static class BuiltInFields
{
    private const int MaxReported = 100;
    private const string ObjectMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static readonly ConcurrentDictionary<string, FrozenDictionary<string, ProtobufField>?> Flattened = new(StringComparer.Ordinal);

    /// <summary>The table's message for a kind, or null when the table does not cover it (custom resources included).</summary>
    public static string? MessageOf(ResourceType type)
    {
        if (type.IsCustom)
        {
            return null;
        }

        var package = type.Group switch
        {
            "" => "k8s.io.api.core",
            "apiextensions.k8s.io" => "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions",
            _ => "k8s.io.api." + type.Group.Split('.')[0],
        };
        var message = $"{package}.{type.Version}.{type.Kind}";
        return ProtobufSchema.Find(message) is null ? null : message;
    }

    /// <summary>
    /// Removes the fields <paramref name="message"/> does not declare, recursively, and returns their paths as Go's
    /// strict JSON decoder names them (<c>spec.template.spec.containers[0].foo</c>), at most 100, each once.
    /// <paramref name="isRoot"/>: the object is a whole kind, whose apiVersion and kind are known.
    /// </summary>
    public static List<string> Prune(JsonObject obj, string message, string path = "", bool isRoot = true)
    {
        var unknown = new List<string>();
        PruneObject(obj, message, path, isRoot, unknown);
        return unknown;
    }

    /// <summary>The unknown fields of a custom resource's metadata (it is decoded into ObjectMeta like any other).</summary>
    public static List<string> PruneMetadata(JsonObject obj) =>
        obj["metadata"] is JsonObject metadata ? Prune(metadata, ObjectMeta, "metadata", isRoot: false) : [];

    private static void PruneObject(JsonObject obj, string message, string path, bool isRoot, List<string> unknown)
    {
        if (FieldsOf(message) is not { } fields)
        {
            return;
        }

        foreach (var (name, value) in obj.ToList())
        {
            if (isRoot && name is "apiVersion" or "kind")
            {
                continue;
            }

            var childPath = path.Length == 0 ? name : path + "." + name;
            if (!fields.TryGetValue(name, out var field))
            {
                obj.Remove(name);
                if (unknown.Count < MaxReported && !unknown.Contains(childPath))
                {
                    unknown.Add(childPath);
                }

                continue;
            }

            switch (field.Label)
            {
                case ProtobufLabel.Map when value is JsonObject map && field.MapValueType is { } valueType && IsMessage(valueType):
                    foreach (var (key, entry) in map)
                    {
                        if (entry is JsonObject entryObject)
                        {
                            PruneObject(entryObject, valueType, childPath + "." + key, false, unknown);
                        }
                    }

                    break;
                case ProtobufLabel.Repeated when value is JsonArray list && IsMessage(field.Type):
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is JsonObject item)
                        {
                            PruneObject(item, field.Type, childPath + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", false, unknown);
                        }
                    }

                    break;
                case ProtobufLabel.Optional when value is JsonObject child && IsMessage(field.Type):
                    PruneObject(child, field.Type, childPath, false, unknown);
                    break;
            }
        }
    }

    // Messages the table leaves out are the ones with their own JSON form (Time, Quantity, IntOrString, raw JSON).
    private static bool IsMessage(string type) => type.Contains('.', StringComparison.Ordinal) && ProtobufSchema.Find(type) is not null;

    /// <summary>A message's fields by JSON name, an inline (embedded) field's own fields in its place.</summary>
    private static FrozenDictionary<string, ProtobufField>? FieldsOf(string message) => Flattened.GetOrAdd(message, static m =>
    {
        if (ProtobufSchema.Find(m) is not { } table)
        {
            return null;
        }

        var byName = new Dictionary<string, ProtobufField>(StringComparer.Ordinal);
        Add(table.Values);
        return byName.ToFrozenDictionary(StringComparer.Ordinal);

        void Add(IEnumerable<ProtobufField> fields)
        {
            foreach (var field in fields)
            {
                if (field.Inline && ProtobufSchema.Find(field.Type) is { } embedded)
                {
                    Add(embedded.Values);
                }
                else
                {
                    byName[field.Name] = field;
                }
            }
        }
    });
}
