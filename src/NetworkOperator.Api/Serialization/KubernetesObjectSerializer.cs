using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// JSON and YAML (de)serialization for our kinds and KubernetesClient models. Everything goes through System.Text.Json
/// with KubernetesClient's date converters and our path-reporting quantity/int-or-string converters; YAML is converted
/// to and from JSON trees by <see cref="YamlJson"/>.
/// </summary>
public static class KubernetesObjectSerializer
{
    /// <summary>Unknown fields and duplicate keys are errors: what the API server does for a structural CRD with strict field validation.</summary>
    public static JsonSerializerOptions StrictOptions { get; } = Create(strict: true, indented: false);

    /// <summary>Unknown fields are skipped; for built-in kinds read from newer clusters than our client models know.</summary>
    public static JsonSerializerOptions LenientOptions { get; } = Create(strict: false, indented: false);

    private static readonly JsonSerializerOptions IndentedOptions = Create(strict: true, indented: true);

    public static JsonSerializerOptions Create(bool strict, bool indented)
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(JsonValueShapesContext.Default, KubernetesKindsContext.Default, new DefaultJsonTypeInfoResolver()),
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            AllowDuplicateProperties = !strict,
            PropertyNameCaseInsensitive = false,
            WriteIndented = indented,
            IndentSize = 2,

            // Kubernetes objects carry '<', '&', '+' in selectors and configs; keep them readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        // Options converters win over the [JsonConverter] attributes on KubernetesClient's types.
        options.Converters.Add(new QuantityJsonConverter());
        options.Converters.Add(new IntOrStringJsonConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeOffsetConverter());
        options.Converters.Add(new KubernetesJson.Iso8601TimeSpanConverter());
        options.MakeReadOnly();
        return options;
    }

    public static string ToJson(object value, bool indented = false) =>
        JsonSerializer.Serialize(value, value.GetType(), indented ? IndentedOptions : StrictOptions);

    public static JsonNode ToJsonNode(object value) =>
        JsonSerializer.SerializeToNode(value, value.GetType(), StrictOptions)
        ?? throw new ArgumentException("value serialized to null", nameof(value));

    public static T FromJson<T>(string json, bool strict = true) =>
        JsonSerializer.Deserialize<T>(json, strict ? StrictOptions : LenientOptions)
        ?? throw new JsonException("the document is null");

    public static T FromJsonNode<T>(JsonNode node, bool strict = true) =>
        node.Deserialize<T>(strict ? StrictOptions : LenientOptions) ?? throw new JsonException("the document is null");

    public static object FromJsonNode(JsonNode node, Type type, bool strict = true) =>
        node.Deserialize(type, strict ? StrictOptions : LenientOptions) ?? throw new JsonException("the document is null");

    public static string ToYaml(object value) => YamlJson.ToYaml(ToJsonNode(value));

    /// <summary>A YAML stream of several objects, separated by <c>---</c>.</summary>
    public static string ToYamlStream(IEnumerable<object> values)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        YamlJson.WriteDocuments(writer, values.Select(v => (JsonNode?)ToJsonNode(v)));
        return writer.ToString();
    }

    /// <summary>Reads a single-document YAML (or JSON) text. For user files with error reporting use the manifest reader.</summary>
    public static T FromYaml<T>(string yaml, bool strict = true)
    {
        var documents = YamlJson.ParseDocuments(yaml).Where(d => d.Root is not null).ToList();
        if (documents.Count != 1)
        {
            throw new JsonException($"expected exactly one YAML document, found {documents.Count}");
        }

        return FromJsonNode<T>(documents[0].Root!, strict);
    }

    /// <summary>A deep copy made through the serializer, so it is exactly what a round trip through the API server keeps.</summary>
    public static T Clone<T>(T value)
        where T : class =>
        (T)(JsonSerializer.SerializeToNode(value, value.GetType(), StrictOptions)!.Deserialize(value.GetType(), StrictOptions)
            ?? throw new InvalidOperationException("clone produced null"));
}
