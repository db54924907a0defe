using System.Text.Json.Nodes;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// One document of a YAML stream converted to JSON, with where each field came from so later errors (wrong type,
/// unknown field, failed validation) can point at a line.
/// </summary>
public sealed class YamlDocument(int index, JsonNode? root, SourceLocation start, IReadOnlyDictionary<string, SourceLocation> locations)
{
    /// <summary>0-based position in the stream.</summary>
    public int Index { get; } = index;

    /// <summary>The content; null for an empty document.</summary>
    public JsonNode? Root { get; } = root;

    public SourceLocation Start { get; } = start;

    /// <summary>Location of each value by user field path (see <see cref="FieldPath"/>).</summary>
    public IReadOnlyDictionary<string, SourceLocation> Locations { get; } = locations;

    /// <summary>The location of the field, or of its nearest ancestor that has one.</summary>
    public SourceLocation? LocationOf(string fieldPath)
    {
        var path = fieldPath;
        while (true)
        {
            if (Locations.TryGetValue(path, out var location))
            {
                return location;
            }

            if (path.Length == 0)
            {
                return null;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut <= 0 ? string.Empty : path[..cut];
        }
    }
}
