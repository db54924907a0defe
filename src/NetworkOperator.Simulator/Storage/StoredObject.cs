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

    // 0: not read yet, 1: not ready, 2: ready. A stored version never changes, so its readiness is read at most once.
    private int _ready;

    /// <summary>
    /// Whether <c>status.conditions</c> holds <c>Ready=True</c> (a pod's readiness), read from the bytes once per stored
    /// version: the disruption budget arithmetic asks this of every pod a budget selects on every pod change.
    /// </summary>
    public bool IsReady
    {
        get
        {
            var ready = Volatile.Read(ref _ready);
            if (ready == 0)
            {
                ready = ReadyCondition(Json) ? 2 : 1;
                Volatile.Write(ref _ready, ready);
            }

            return ready == 2;
        }
    }

    private static bool ReadyCondition(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.ValueKind == JsonValueKind.Object
                && condition.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("Ready")
                && condition.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals("True"))
            {
                return true;
            }
        }

        return false;
    }

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
    public static StoredObject Create(ResourceType type, JsonObject obj, long resourceVersion) =>
        Prepare(type, obj).Stamp(resourceVersion);

    /// <summary>
    /// Serializes the object and reads its metadata before it has a resource version, so the store can do this costly
    /// part outside its commit lock and only splice the revision in under it (<see cref="Prepared.Stamp"/>).
    /// </summary>
    public static Prepared Prepare(ResourceType type, JsonObject obj)
    {
        var metadata = obj.Metadata();
        metadata["resourceVersion"] = Placeholder;
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
        return new Prepared(obj, json, PlaceholderAt(json), new StoredObject(
            metadata.GetString("namespace") ?? "",
            metadata.GetString("name") ?? "",
            metadata.GetString("uid") ?? "",
            0,
            [],
            (metadata["labels"] as JsonObject).GetStringMap(),
            fields ?? NoFields,
            owners,
            metadata["finalizers"] is JsonArray { Count: > 0 },
            metadata["deletionTimestamp"] is not null));
    }

    // A value no client writes; found as the exact member bytes, so a string that merely contains it cannot match
    // (its quotes would be escaped). Should it occur more than once, the object is serialized again when stamped.
    private const string Placeholder = "\u0000rv-placeholder";
    private static readonly byte[] PlaceholderMember = System.Text.Encoding.UTF8.GetBytes("\"resourceVersion\":\"\\u0000rv-placeholder\"");

    private static int PlaceholderAt(byte[] json)
    {
        var at = json.AsSpan().IndexOf(PlaceholderMember);
        return at >= 0 && json.AsSpan(at + PlaceholderMember.Length).IndexOf(PlaceholderMember) < 0 ? at : -1;
    }

    /// <summary>An object serialized with a placeholder where its resource version goes.</summary>
    public sealed class Prepared
    {
        private readonly JsonObject _obj;
        private readonly byte[] _json;
        private readonly int _placeholderAt;
        private readonly StoredObject _shape;

        internal Prepared(JsonObject obj, byte[] json, int placeholderAt, StoredObject shape)
        {
            _obj = obj;
            _json = json;
            _placeholderAt = placeholderAt;
            _shape = shape;
        }

        /// <summary>Whether stamping splices the revision into the bytes (else it serializes the object again).</summary>
        internal bool SplicesInPlace => _placeholderAt >= 0;

        /// <summary>The stored object at <paramref name="resourceVersion"/>: a copy of the bytes with the revision in place.</summary>
        public StoredObject Stamp(long resourceVersion)
        {
            var version = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _obj.Metadata()["resourceVersion"] = version;
            byte[] json;
            if (_placeholderAt < 0)
            {
                json = JsonSerializer.SerializeToUtf8Bytes(_obj, SimulatorJson.Compact);
            }
            else
            {
                var member = System.Text.Encoding.UTF8.GetBytes("\"resourceVersion\":\"" + version + "\"");
                json = new byte[_json.Length - PlaceholderMember.Length + member.Length];
                _json.AsSpan(0, _placeholderAt).CopyTo(json);
                member.CopyTo(json.AsSpan(_placeholderAt));
                _json.AsSpan(_placeholderAt + PlaceholderMember.Length).CopyTo(json.AsSpan(_placeholderAt + member.Length));
            }

            var s = _shape;
            return new StoredObject(s.Namespace, s.Name, s.Uid, resourceVersion, json, s.Labels, s.Fields, (string[])s.OwnerUids,
                s.HasFinalizers, s.IsDeleting);
        }
    }

    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>();
}
