using NetworkOperator.Api.Serialization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Rendering.Networks;

/// <summary>
/// Builds the CNI JSON of a NetworkAttachmentDefinition as a JSON tree. The user's <c>ipam</c> and <c>metaPlugins</c>
/// strings are parsed and spliced in as JSON (never pasted as text), so quotes or whitespace inside them can neither
/// break the document nor be altered, and invalid JSON is reported against the field instead of producing a broken NAD.
/// </summary>
public static class CniConfig
{
    public const string CniVersion = "0.3.1";

    private static readonly JsonSerializerOptions CompactOptions = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Wraps the main plugin: a single-plugin config when there are no meta plugins, otherwise a conflist whose first
    /// plugin is the main one followed by the meta plugins in order.
    /// </summary>
    public static string Build(string networkName, JsonObject mainPlugin, string? metaPlugins, string metaPluginsField)
    {
        ArgumentNullException.ThrowIfNull(mainPlugin);
        var root = new JsonObject { ["cniVersion"] = CniVersion, ["name"] = networkName };
        var chained = ParseMetaPlugins(metaPlugins, metaPluginsField);
        if (chained.Count == 0)
        {
            foreach (var (key, value) in mainPlugin.ToList())
            {
                mainPlugin.Remove(key);
                root[key] = value;
            }
        }
        else
        {
            var plugins = new JsonArray { mainPlugin };
            foreach (var plugin in chained)
            {
                plugins.Add(plugin);
            }

            root["plugins"] = plugins;
        }

        return root.ToJsonString(CompactOptions);
    }

    /// <summary>The user's ipam string as a JSON object; empty means <c>{}</c>.</summary>
    public static JsonObject ParseIpam(string? ipam, string field)
    {
        if (string.IsNullOrWhiteSpace(ipam))
        {
            return [];
        }

        JsonNode? node;
        try
        {
            node = StrictJson.Parse(ipam);
        }
        catch (JsonException ex)
        {
            throw new RenderException($"is not valid JSON: {StrictJson.Describe(ex)}", field);
        }

        return node as JsonObject ?? throw new RenderException($"must be a JSON object, got {Describe(node)}", field);
    }

    /// <summary>
    /// <c>metaPlugins</c> is a comma-separated list of plugin objects without brackets (upstream pastes it into a
    /// JSON array); each element must be an object with a <c>type</c>.
    /// </summary>
    public static IReadOnlyList<JsonObject> ParseMetaPlugins(string? metaPlugins, string field)
    {
        if (string.IsNullOrWhiteSpace(metaPlugins))
        {
            return [];
        }

        JsonNode? node;
        try
        {
            node = StrictJson.Parse("[" + metaPlugins + "\n]");
        }
        catch (JsonException ex)
        {
            throw new RenderException($"is not a valid comma-separated list of JSON objects: {StrictJson.Describe(ex)}", field);
        }

        var result = new List<JsonObject>();
        var index = 0;
        foreach (var item in node!.AsArray())
        {
            if (item is not JsonObject plugin)
            {
                throw new RenderException($"element {index} must be a JSON object, got {Describe(item)}", field);
            }

            if (plugin["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty(type.GetValue<string>()))
            {
                throw new RenderException($"element {index} has no \"type\"; every chained CNI plugin needs one", field);
            }

            result.Add(plugin);
            index++;
        }

        foreach (var plugin in result)
        {
            node.AsArray().Remove(plugin);
        }

        return result;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
        _ => "an object",
    };
}
