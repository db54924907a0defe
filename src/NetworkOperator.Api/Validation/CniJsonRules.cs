using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Checks the raw JSON fragments network specs splice into CNI configurations. Upstream accepted anything and produced
/// NetworkAttachmentDefinitions that failed only when a pod started; these checks report the problem at admission.
/// </summary>
internal static class CniJsonRules
{
    /// <summary>IPAM plugins commonly installed with this operator; others work but deserve a second look.</summary>
    public static readonly IReadOnlyList<string> KnownIpamTypes = ["nv-ipam", "whereabouts", "host-local", "static", "dhcp"];

    public static void CheckIpam(string? ipam, string field, ValidationCollector collector)
    {
        if (string.IsNullOrWhiteSpace(ipam))
        {
            return;
        }

        JsonNode? node;
        try
        {
            node = StrictJson.Parse(ipam);
        }
        catch (JsonException ex)
        {
            collector.Invalid(field, ipam, $"ipam must be a JSON object: {StrictJson.Describe(ex)}");
            return;
        }

        if (node is not JsonObject obj)
        {
            collector.Invalid(field, ipam, "ipam must be a JSON object, e.g. {\"type\": \"nv-ipam\", \"poolName\": \"pool1\"}");
            return;
        }

        if (obj.Count == 0)
        {
            return;
        }

        foreach (var problem in IpamAddressRules.Problems(obj))
        {
            collector.Invalid(field, ipam, "ipam " + problem);
        }

        if (!obj.TryGetPropertyValue("type", out var type) || type is null)
        {
            collector.Warn(field, "ipam has no \"type\"; the CNI plugin ignores the other keys and assigns no IP addresses");
            return;
        }

        if (type is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length == 0)
        {
            collector.Invalid(field, ipam, "ipam \"type\" must be a non-empty string naming the IPAM plugin");
            return;
        }

        var name = value.GetValue<string>();
        if (!KnownIpamTypes.Contains(name))
        {
            collector.Warn(field, $"ipam type \"{name}\" is not a known IPAM plugin ({string.Join(", ", KnownIpamTypes)}); " +
                                  "pods fail to start unless that plugin's binary is installed on every node");
        }
    }

    public static void CheckMetaPlugins(string? metaPlugins, string field, ValidationCollector collector)
    {
        if (string.IsNullOrWhiteSpace(metaPlugins))
        {
            return;
        }

        JsonNode? node;
        try
        {
            // The field is spliced into a JSON array after the main plugin, so it must read as the inside of an array.
            node = StrictJson.Parse("[" + metaPlugins + "\n]");
        }
        catch (JsonException ex)
        {
            collector.Invalid(field, metaPlugins, $"metaPlugins must be comma-separated JSON objects: {StrictJson.Describe(ex)}");
            return;
        }

        var items = (JsonArray)node!;
        for (var i = 0; i < items.Count; i++)
        {
            var ordinal = i + 1;
            if (items[i] is JsonArray)
            {
                collector.Invalid(field, metaPlugins, "metaPlugins must be comma-separated JSON objects without surrounding brackets");
                return;
            }

            if (items[i] is not JsonObject plugin)
            {
                collector.Invalid(field, metaPlugins, $"metaPlugins item {ordinal} is not a JSON object");
                continue;
            }

            if (plugin["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || type.GetValue<string>().Length == 0)
            {
                collector.Invalid(field, metaPlugins, $"metaPlugins item {ordinal} needs a non-empty string \"type\" naming the CNI plugin");
            }
        }
    }

    /// <summary>A JSON object in a string field (strict: no duplicate keys, comments or trailing commas).</summary>
    public static void CheckJsonObject(string text, string field, string what, ValidationCollector collector)
    {
        try
        {
            if (StrictJson.Parse(text) is not JsonObject)
            {
                collector.Invalid(field, text, $"{what} must be a JSON object");
            }
        }
        catch (JsonException ex)
        {
            collector.Invalid(field, text, $"{what} is not valid JSON: {StrictJson.Describe(ex)}");
        }
    }
}
