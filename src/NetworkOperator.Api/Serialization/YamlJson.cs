using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Converts between YAML text and JSON trees. Objects are (de)serialized only through System.Text.Json, so YAML and JSON
/// input behave identically (same converters, same strictness, same error paths).
/// </summary>
public static class YamlJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>Parses every document of a YAML (or JSON) stream, within <paramref name="budget"/> for the whole stream.</summary>
    /// <exception cref="YamlSyntaxException">The text is not well-formed, or exceeds the budget.</exception>
    public static IReadOnlyList<YamlDocument> ParseDocuments(string text, InputBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        budget ??= InputBudget.Default;
        var documents = new List<YamlDocument>();
        var parser = new Parser(new StringReader(text));
        var spent = new Spent(budget);
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>();
                if (documents.Count >= budget.MaxDocuments)
                {
                    throw new YamlSyntaxException($"more than {budget.MaxDocuments} documents in one file", ToLocation(start.Start), documents.Count);
                }

                var reader = new DocumentReader(parser, documents.Count, spent);
                var root = parser.Accept<DocumentEnd>(out _) ? null : reader.ReadNode(string.Empty);
                parser.Consume<DocumentEnd>();
                documents.Add(new YamlDocument(documents.Count, root, ToLocation(start.Start), reader.Locations));
            }
        }
        catch (YamlException ex)
        {
            throw new YamlSyntaxException(CleanMessage(ex), ToLocation(ex.Start), documents.Count, ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner fails this way on some malformed input (e.g. an unclosed flow sequence).
            var near = parser.Current?.Start ?? Mark.Empty;
            throw new YamlSyntaxException("malformed YAML (check brackets, quotes and indentation)", ToLocation(near), documents.Count, ex);
        }

        return documents;
    }

    /// <summary>Writes a JSON tree as one YAML document (no leading <c>---</c>).</summary>
    public static string ToYaml(JsonNode? node)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        WriteDocuments(writer, [node]);
        return writer.ToString();
    }

    /// <summary>Writes JSON trees as a YAML stream, documents separated by <c>---</c>.</summary>
    public static void WriteDocuments(TextWriter writer, IEnumerable<JsonNode?> nodes)
    {
        // A very wide line limit keeps long strings (descriptions, CNI configs) on one line: stable, diff-friendly output.
        var emitter = new Emitter(writer, 2, int.MaxValue);
        emitter.Emit(new StreamStart());
        var first = true;
        foreach (var node in nodes)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: first));
            first = false;
            Emit(emitter, node);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case JsonObject obj:
                var emptyObject = obj.Count == 0;
                emitter.Emit(new MappingStart(null, null, isImplicit: true, emptyObject ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                var emptyArray = array.Count == 0;
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, emptyArray ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                    case JsonValueKind.Number:
                        emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                        break;
                    default:
                        emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                        break;
                }

                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : text.Length == 0 ? ScalarStyle.DoubleQuoted
            : YamlScalars.NeedsQuoting(text) ? ScalarStyle.SingleQuoted
            : ScalarStyle.Plain;

        // The emitter itself falls back to a quoted style when the chosen one cannot represent the text.
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: style == ScalarStyle.Plain, isQuotedImplicit: true));
    }

    private static SourceLocation ToLocation(Mark mark) => new(mark.Line, mark.Column);

    private static string CleanMessage(YamlException ex)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is reported separately.
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && marker > 0)
        {
            message = message[(marker + 3)..];
        }

        return message.TrimEnd('.');
    }

    /// <summary>What the documents read so far have used of the file's budget.</summary>
    private sealed class Spent(InputBudget budget)
    {
        public InputBudget Budget { get; } = budget;

        public int Values { get; set; }
    }

    private sealed class DocumentReader(IParser parser, int documentIndex, Spent spent)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);
        private readonly Dictionary<JsonNode, int> _sizes = new(ReferenceEqualityComparer.Instance);
        private int _depth;

        public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

        public JsonNode? ReadNode(string? path)
        {
            var start = parser.Current?.Start ?? Mark.Empty;
            if (++_depth > spent.Budget.MaxDepth)
            {
                throw new YamlSyntaxException($"nesting deeper than {spent.Budget.MaxDepth} levels", ToLocation(start), documentIndex);
            }

            var nodesBefore = spent.Values;
            try
            {
                var node = ReadNodeCore(path);
                if (node is not null && !_sizes.ContainsKey(node))
                {
                    _sizes[node] = spent.Values - nodesBefore;
                }

                return node;
            }
            finally
            {
                _depth--;
            }
        }

        private void Count(int nodes, Mark at)
        {
            // Checked before the alias is copied, so a bomb is refused before it costs memory.
            if ((long)spent.Values + nodes > spent.Budget.MaxValues)
            {
                throw new YamlSyntaxException(
                    $"the file expands to more than {spent.Budget.MaxValues} values (aliases are counted with everything they repeat)", ToLocation(at), documentIndex);
            }

            spent.Values += nodes;
        }

        private JsonNode? ReadNodeCore(string? path)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlSyntaxException($"unknown alias '*{alias.Value.Value}'", ToLocation(alias.Start), documentIndex);
                }

                if (path is not null)
                {
                    Locations.TryAdd(path, ToLocation(alias.Start));
                }

                Count(target is null ? 1 : _sizes.GetValueOrDefault(target, 1), alias.Start);
                return target?.DeepClone();
            }

            var nodeEvent = parser.Current as NodeEvent
                ?? throw new YamlSyntaxException("expected a value", ToLocation(parser.Current?.Start ?? Mark.Empty), documentIndex);
            if (path is not null)
            {
                Locations.TryAdd(path, ToLocation(nodeEvent.Start));
            }

            Count(1, nodeEvent.Start);
            JsonNode? node = nodeEvent switch
            {
                Scalar => ReadScalar(parser.Consume<Scalar>()),
                SequenceStart => ReadSequence(path ?? string.Empty),
                MappingStart => ReadMapping(path ?? string.Empty),
                _ => throw new YamlSyntaxException("unexpected YAML event", ToLocation(nodeEvent.Start), documentIndex),
            };

            if (!nodeEvent.Anchor.IsEmpty)
            {
                _anchors[nodeEvent.Anchor.Value] = node;
            }

            return node;
        }

        private static JsonNode? ReadScalar(Scalar scalar)
        {
            if (scalar.Style is ScalarStyle.Plain && scalar.Tag.IsEmpty)
            {
                return YamlScalars.Resolve(scalar.Value);
            }

            if (!scalar.Tag.IsEmpty && scalar.Tag.Value != StringTag && scalar.Tag.Value != "!")
            {
                // Explicit non-string tags (!!int, !!bool, ...) are typed like plain scalars.
                return YamlScalars.Resolve(scalar.Value);
            }

            return JsonValue.Create(scalar.Value);
        }

        private JsonArray ReadSequence(string path)
        {
            parser.Consume<SequenceStart>();
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(FieldPath.Index(path, array.Count)));
            }

            return array;
        }

        private JsonObject ReadMapping(string path)
        {
            parser.Consume<MappingStart>();
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current?.Start ?? Mark.Empty;
                var keyNode = ReadNode(null);
                var key = keyNode switch
                {
                    null => "null",
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    JsonValue v => v.ToJsonString(),
                    _ => throw new YamlSyntaxException("a mapping key must be a scalar", ToLocation(keyStart), documentIndex),
                };

                var childPath = FieldPath.Child(path, key);
                if (obj.ContainsKey(key))
                {
                    throw new YamlSyntaxException($"duplicate key '{key}'", ToLocation(keyStart), documentIndex);
                }

                Locations[childPath] = ToLocation(keyStart);
                var value = ReadNode(childPath);
                obj[key] = value;
            }

            return obj;
        }
    }
}
