using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Reads user manifest files: one or many YAML documents, JSON, or a <c>kind: List</c> as <c>kubectl get -o yaml</c>
/// prints it. Objects are typed by apiVersion and kind; unknown kinds, unknown fields, wrong types and malformed
/// YAML become <see cref="ManifestError"/>s naming the file, the document and the field path. Never throws for bad input.
/// </summary>
public sealed partial class ManifestReader(IReadOnlyList<ReadableKind> kinds, InputBudget? budget = null)
{
    public ManifestReader()
        : this(ReadableKind.Default)
    {
    }

    public IReadOnlyList<ReadableKind> Kinds { get; } = kinds;

    /// <summary>Limits per file (size, documents, values, depth).</summary>
    public InputBudget Budget { get; } = budget ?? InputBudget.Default;

    /// <summary>Stdin for the path <c>-</c>; tests substitute their own.</summary>
    public Stream? StandardInput { get; init; }

    public ManifestReadResult ReadFiles(IEnumerable<string> paths)
    {
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        var skipped = new List<ManifestError>();
        foreach (var path in paths)
        {
            var result = ReadFile(path);
            objects.AddRange(result.Objects);
            errors.AddRange(result.Errors);
            skipped.AddRange(result.Skipped);
        }

        return new ManifestReadResult(objects, errors) { Skipped = skipped };
    }

    public ManifestReadResult ReadFile(string path)
    {
        string text;
        var sourceName = path == InputFile.StandardInput ? "stdin" : path;
        try
        {
            text = InputFile.ReadText(path, Budget, StandardInput);
        }
        catch (InputFileException ex)
        {
            return new ManifestReadResult([], [new ManifestError(sourceName, null, null, null, null, null, null, ex.Message)]);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return new ManifestReadResult([], [new ManifestError(sourceName, null, null, null, null, null, null, "not a usable file path")]);
        }

        return ReadText(text, sourceName);
    }

    /// <param name="text">File content.</param>
    /// <param name="sourceName">What errors call the source, normally the file path.</param>
    public ManifestReadResult ReadText(string text, string sourceName)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlJson.ParseDocuments(text, Budget);
        }
        catch (YamlSyntaxException ex)
        {
            return new ManifestReadResult([], [new ManifestError(sourceName, ex.DocumentIndex, null, null, null, null, ex.Location, ex.Message)]);
        }

        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        var skipped = new List<ManifestError>();
        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            var context = new DocumentContext(sourceName, document, errors, skipped);
            if (IsList(document.Root, out var items))
            {
                for (var i = 0; i < items.Count; i++)
                {
                    ReadObject(context, items[i], FieldPath.Index("items", i), i, objects);
                }
            }
            else
            {
                ReadObject(context, document.Root, string.Empty, null, objects);
            }
        }

        return new ManifestReadResult(objects, errors) { Skipped = skipped };
    }

    private static bool IsList(JsonNode root, out JsonArray items)
    {
        items = [];
        if (root is JsonObject obj
            && obj["kind"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String
            && kind.GetValue<string>().EndsWith("List", StringComparison.Ordinal)
            && obj["items"] is JsonArray array)
        {
            items = array;
            return true;
        }

        return false;
    }

    private void ReadObject(DocumentContext context, JsonNode? node, string basePath, int? itemIndex, List<ManifestObject> objects)
    {
        var location = context.Document.LocationOf(basePath) ?? context.Document.Start;
        if (node is not JsonObject obj)
        {
            context.Add(itemIndex, null, null, basePath, "expected a Kubernetes object (a mapping with apiVersion and kind)");
            return;
        }

        var apiVersion = StringField(obj, "apiVersion");
        var kind = StringField(obj, "kind");
        var name = obj["metadata"] is JsonObject metadata ? StringField(metadata, "name") : null;
        if (apiVersion is null || kind is null)
        {
            var missing = apiVersion is null ? "apiVersion" : "kind";
            context.Add(itemIndex, kind, name, FieldPath.Child(basePath, missing), $"required field \"{missing}\" is missing or not a string");
            return;
        }

        var readable = Kinds.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
        if (readable is null && IsForeign(apiVersion, kind))
        {
            // Files often hold related objects (nv-ipam's IPPool, a Namespace, a Secret); they are not ours to check.
            context.Skip(itemIndex, kind, name, basePath, $"skipped: {kind} ({apiVersion}) is not a kind this command reads");
            return;
        }

        if (readable is null)
        {
            var supported = string.Join(", ", Kinds.Select(k => $"{k.ApiVersion}/{k.Kind}"));
            var sameKind = Kinds.FirstOrDefault(k => k.Kind == kind);
            var message = sameKind is not null
                ? $"unsupported apiVersion \"{apiVersion}\" for kind {kind} (expected \"{sameKind.ApiVersion}\")"
                : $"unknown kind \"{kind}\" (apiVersion \"{apiVersion}\"); supported: {supported}";
            context.Add(itemIndex, kind, name, FieldPath.Child(basePath, sameKind is not null ? "apiVersion" : "kind"), message);
            return;
        }

        try
        {
            var value = KubernetesObjectSerializer.FromJsonNode(obj, readable.ClrType, readable.Strict);
            objects.Add(new ManifestObject(value, readable, context.File, context.Document.Index, itemIndex, location)
            {
                Document = context.Document,
                DocumentPath = basePath,
            });
        }
        catch (JsonException ex)
        {
            var (path, message) = Describe(ex, obj);
            context.Add(itemIndex, kind, name, JoinPath(basePath, path), message);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            // Converters outside our control may throw these; report them as bad input rather than crash.
            context.Add(itemIndex, kind, name, basePath, CleanMessage(ex.Message));
        }
    }

    /// <summary>
    /// A kind from another API group than ours that none of <see cref="Kinds"/> names. A kind of our group, or one
    /// of our kind names under another apiVersion, is never foreign: those are typos and stay errors.
    /// </summary>
    private bool IsForeign(string apiVersion, string kind)
    {
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        var ourGroups = Kinds.Select(k => k.ApiVersion.Contains('/', StringComparison.Ordinal) ? k.ApiVersion[..k.ApiVersion.IndexOf('/', StringComparison.Ordinal)] : null)
            .Where(g => g is not null && g.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        return !ourGroups.Contains(group) && !ResourceKinds.All.Any(k => k.Kind == kind) && Kinds.All(k => k.Kind != kind);
    }

    private static string JoinPath(string basePath, string path) =>
        basePath.Length == 0 ? path : path.Length == 0 ? basePath : path.StartsWith('[') ? basePath + path : basePath + "." + path;

    private static (string Path, string Message) Describe(JsonException ex, JsonObject root)
    {
        var path = FieldPath.FromJsonPath(ex.Path);
        var raw = ex.Message;

        var unmapped = UnmappedMemberPattern().Match(raw);
        if (unmapped.Success)
        {
            // System.Text.Json reports the containing object's path for an unknown member; name the field itself.
            var field = unmapped.Groups["name"].Value;
            var fieldPath = path.EndsWith(FieldPath.Child(string.Empty, field), StringComparison.Ordinal) ? path : FieldPath.Child(path, field);
            return (fieldPath, $"unknown field \"{field}\"");
        }

        var conversion = ConversionPattern().Match(raw);
        if (conversion.Success)
        {
            var expected = DescribeType(conversion.Groups["type"].Value);
            var actual = Find(root, path);
            var got = DescribeValue(actual);
            var hint = expected == "a string" && actual is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? " (quote the value in YAML to keep it a string)"
                : string.Empty;
            return (path, $"expected {expected}, got {got}{hint}");
        }

        if (DuplicatePattern().IsMatch(raw))
        {
            return (path, "duplicate field");
        }

        return (path, CleanMessage(raw));
    }

    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static JsonNode? Find(JsonNode root, string userPath)
    {
        // Walk the user path (a.b[0]["c.d"]) through the tree.
        JsonNode? current = root;
        foreach (Match segment in PathSegmentPattern().Matches(userPath))
        {
            if (current is null)
            {
                return null;
            }

            if (segment.Groups["index"].Success)
            {
                var index = int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                current = current is JsonArray array && index < array.Count ? array[index] : null;
            }
            else
            {
                var key = segment.Groups["quoted"].Success
                    ? segment.Groups["quoted"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
                    : segment.Groups["name"].Value;
                current = current is JsonObject obj ? obj[key] : null;
            }
        }

        return current;
    }

    private static string DescribeType(string clrType)
    {
        var t = clrType.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']');
        return t switch
        {
            "System.String" => "a string",
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "an integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "a boolean (true or false)",
            "System.DateTime" or "System.DateTimeOffset" => "a timestamp",
            _ when t.Contains("Dictionary", StringComparison.Ordinal) => "a mapping",
            _ when t.Contains("List", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ => "an object",
        };
    }

    private static string DescribeValue(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{Shorten(value.GetValue<string>())}\"",
            JsonValueKind.Number => $"the number {value.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
            _ => "null",
        },
        _ => "a value",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static string? StringField(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex("The JSON property '(?<name>.*)' could not be mapped to any \\.NET member")]
    private static partial Regex UnmappedMemberPattern();

    [GeneratedRegex("The JSON value could not be converted to (?<type>[^.\\s]+(\\.[^.\\s]+)*?)\\. Path")]
    private static partial Regex ConversionPattern();

    [GeneratedRegex("[Dd]uplicate")]
    private static partial Regex DuplicatePattern();

    [GeneratedRegex("\\[(?<index>\\d+)\\]|\\[\"(?<quoted>(?:[^\"\\\\]|\\\\.)*)\"\\]|(?<name>[^.\\[]+)")]
    private static partial Regex PathSegmentPattern();

    private sealed class DocumentContext(string file, YamlDocument document, List<ManifestError> errors, List<ManifestError> skipped)
    {
        public void Skip(int? itemIndex, string kind, string? name, string basePath, string message) =>
            skipped.Add(new ManifestError(File, Document.Index, itemIndex, kind, name, null, Document.LocationOf(basePath), message));

        public string File { get; } = file;

        public YamlDocument Document { get; } = document;

        public void Add(int? itemIndex, string? kind, string? name, string fieldPath, string message)
        {
            var location = Document.LocationOf(fieldPath);

            // Inside a List the object's own fields are reported relative to the object.
            var shownPath = itemIndex is { } i && fieldPath.StartsWith(FieldPath.Index("items", i), StringComparison.Ordinal)
                ? fieldPath[FieldPath.Index("items", i).Length..].TrimStart('.')
                : fieldPath;
            errors.Add(new ManifestError(File, Document.Index, itemIndex, kind, name, shownPath, location, message));
        }
    }
}
