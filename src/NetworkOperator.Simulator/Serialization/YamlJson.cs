using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NetworkOperator.Simulator.Serialization;

/// <summary>
/// Reads YAML request bodies into JSON trees with the scalar typing Kubernetes uses (plain scalars are typed, quoted
/// ones are strings). Built from the parser's event stream with an explicit stack, so no body can exhaust the call
/// stack, with a nesting limit and, like the YAML library of the real server, a limit on alias expansion: a recursive
/// alias or an alias bomb of a few hundred bytes is a 400, not a crash or gigabytes of memory.
/// </summary>
public static partial class YamlJson
{
    /// <summary>The nesting limit, the same as for JSON bodies.</summary>
    public const int MaxDepth = 64;

    /// <summary>Nodes produced by alias expansion beyond which a body is refused whatever the ratio.</summary>
    private const long MaxExpandedNodes = 1_000_000;

    /// <summary>Parses every document of a YAML stream; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var documents = new List<JsonNode?>();
        var builder = new Builder();
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    builder = new Builder();
                    break;
                case DocumentEnd:
                    if (builder.Root is not null)
                    {
                        documents.Add(builder.Root);
                    }

                    break;
                case StreamStart or StreamEnd:
                    break;
                case { } parsingEvent:
                    builder.Accept(parsingEvent);
                    break;
            }
        }

        return documents;
    }

    public static JsonNode? Parse(string yaml)
    {
        var all = ParseAll(yaml);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new YamlException("expected one YAML document, found " + all.Count),
        };
    }

    private static JsonValue? ConvertScalar(Scalar scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str")
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    /// <summary>
    /// The alias budget of the real server's YAML decoder: beyond 100 aliased nodes and 1,000 nodes in all, the share of
    /// nodes that come from aliases may not exceed 99 % (up to 400,000 nodes) falling to 10 % (at 4,000,000).
    /// </summary>
    private static double AllowedAliasRatio(long decoded) => decoded switch
    {
        <= 400_000 => 0.99,
        >= 4_000_000 => 0.10,
        _ => 0.99 - (0.89 * ((decoded - 400_000) / 3_600_000.0)),
    };

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Builds one document from parser events.</summary>
    private sealed class Builder
    {
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private long _decoded;
        private long _aliased;

        public JsonNode? Root { get; private set; }

        public void Accept(ParsingEvent parsingEvent)
        {
            switch (parsingEvent)
            {
                case MappingStart start:
                    Open(new JsonObject(), start.Anchor);
                    break;
                case SequenceStart start:
                    Open(new JsonArray(), start.Anchor);
                    break;
                case MappingEnd or SequenceEnd:
                    Close();
                    break;
                case Scalar scalar:
                    {
                        _decoded++;
                        if (_open.TryPeek(out var parent) && parent.Node is JsonObject && parent.Key is null)
                        {
                            parent.Key = scalar.Value ?? "";
                            if (!scalar.Anchor.IsEmpty)
                            {
                                _anchors[scalar.Anchor.Value] = new Anchored(JsonValue.Create(scalar.Value ?? ""), 1, 0);
                            }

                            break;
                        }

                        var value = ConvertScalar(scalar);
                        if (!scalar.Anchor.IsEmpty)
                        {
                            _anchors[scalar.Anchor.Value] = new Anchored(value, 1, 0);
                        }

                        Add(value);
                        break;
                    }

                case AnchorAlias alias:
                    Expand(alias.Value.Value);
                    break;
            }
        }

        private void Open(JsonNode node, AnchorName anchor)
        {
            _decoded++;
            if (_open.Count >= MaxDepth)
            {
                throw new YamlException($"exceeded max depth of {MaxDepth}");
            }

            if (_open.TryPeek(out var parent) && parent.Node is JsonObject && parent.Key is null)
            {
                throw new YamlException("invalid map key: a mapping or sequence cannot be a key");
            }

            _open.Push(new Frame(node, anchor.IsEmpty ? null : anchor.Value, _decoded, _aliased));
        }

        private void Close()
        {
            var frame = _open.Pop();
            if (frame.Anchor is not null)
            {
                _anchors[frame.Anchor] = new Anchored(frame.Node, _decoded - frame.DecodedAtStart + 1, _aliased - frame.AliasedAtStart);
            }

            Add(frame.Node);
        }

        private void Expand(string name)
        {
            if (!_anchors.TryGetValue(name, out var anchored))
            {
                throw new YamlException(_open.Any(f => f.Anchor == name)
                    ? $"anchor '{name}' value contains itself"
                    : $"unknown anchor '{name}' referenced");
            }

            var decoded = _decoded + anchored.Nodes;
            var aliased = _aliased + anchored.Nodes;
            if (aliased > MaxExpandedNodes
                || (aliased > 100 && decoded > 1000 && (double)aliased / decoded > AllowedAliasRatio(decoded)))
            {
                throw new YamlException("document contains excessive aliasing");
            }

            _decoded = decoded;
            _aliased = aliased;
            if (_open.TryPeek(out var parent) && parent.Node is JsonObject && parent.Key is null)
            {
                parent.Key = anchored.Node is JsonValue key ? GoText(key) : throw new YamlException("invalid map key: an alias of a mapping or sequence cannot be a key");
                return;
            }

            Add(anchored.Node?.DeepClone());
        }

        private void Add(JsonNode? node)
        {
            if (!_open.TryPeek(out var parent))
            {
                Root = node;
                return;
            }

            if (parent.Node is JsonArray array)
            {
                array.Add(node);
                return;
            }

            var obj = (JsonObject)parent.Node;
            obj[parent.Key!] = node;
            parent.Key = null;
        }

        private static string GoText(JsonValue value) =>
            value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }

    private sealed class Frame(JsonNode node, string? anchor, long decodedAtStart, long aliasedAtStart)
    {
        public JsonNode Node { get; } = node;

        public string? Anchor { get; } = anchor;

        public long DecodedAtStart { get; } = decodedAtStart;

        public long AliasedAtStart { get; } = aliasedAtStart;

        /// <summary>The key read for the next value of a mapping.</summary>
        public string? Key { get; set; }
    }

    private sealed record Anchored(JsonNode? Node, long Nodes, long Aliases);
}
