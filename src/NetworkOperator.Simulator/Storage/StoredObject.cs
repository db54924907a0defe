using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Storage;

/// <summary>
/// One stored object, immutable: its serialized JSON (written to clients as is, so a GET or a watch event costs no
/// serialization) plus the few metadata fields that selectors, garbage collection and deletion need.
/// </summary>
public sealed class StoredObject
{
    private StoredObject(string ns, string name, string uid, long resourceVersion, byte[] json,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string?> fields, string[] ownerUids,
        bool hasFinalizers, bool isDeleting)
    {
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        Json = json;
        Labels = labels;
        Fields = fields;
        OwnerUids = ownerUids;
        HasFinalizers = hasFinalizers;
        IsDeleting = isDeleting;
    }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public long ResourceVersion { get; }

    /// <summary>UTF-8 JSON of the whole object. Never mutate.</summary>
    public byte[] Json { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyDictionary<string, string?> Fields { get; }

    public IReadOnlyList<string> OwnerUids { get; }

    public bool HasFinalizers { get; }

    public bool IsDeleting { get; }

    public string Key => KeyOf(Namespace, Name);

    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;

    /// <summary>A fresh mutable copy of the object.</summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    public string? FieldValue(string field) => field switch
    {
        "metadata.name" => Name,
        "metadata.namespace" => Namespace,
        _ => Fields.TryGetValue(field, out var value) ? value : null,
    };

    /// <summary>Stamps the resource version into the object and freezes it.</summary>
    public static StoredObject Create(ResourceType type, JsonObject obj, long resourceVersion)
    {
        var metadata = obj.Metadata();
        metadata["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonSerializer.SerializeToUtf8Bytes(obj, SimulatorJson.Compact);
        Dictionary<string, string?>? fields = null;
        if (type.SelectableFields.Count > 0)
        {
            fields = new Dictionary<string, string?>(type.SelectableFields.Count, StringComparer.Ordinal);
            foreach (var field in type.SelectableFields)
            {
                fields[field] = obj.GetPathText(field);
            }
        }

        var owners = metadata["ownerReferences"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => r.GetString("uid")).OfType<string>().ToArray()
            : [];
        return new StoredObject(
            metadata.GetString("namespace") ?? "",
            metadata.GetString("name") ?? "",
            metadata.GetString("uid") ?? "",
            resourceVersion,
            json,
            (metadata["labels"] as JsonObject).GetStringMap(),
            fields ?? NoFields,
            owners,
            metadata["finalizers"] is JsonArray { Count: > 0 },
            metadata["deletionTimestamp"] is not null);
    }

    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>();
}
