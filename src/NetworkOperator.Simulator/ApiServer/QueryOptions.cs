using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>Reads the query parameters of API calls into the option records of <see cref="ResourceService"/>.</summary>
internal static class QueryOptions
{
    public static ListOptions List(IQueryCollection query) => new()
    {
        LabelSelector = Text(query, "labelSelector"),
        FieldSelector = Text(query, "fieldSelector"),
        Limit = (int)(Number(query, "limit") ?? 0),
        Continue = Text(query, "continue"),
    };

    public static WatchOptions Watch(IQueryCollection query)
    {
        var fieldSelector = Text(query, "fieldSelector");
        var timeout = Number(query, "timeoutSeconds");
        return new WatchOptions
        {
            LabelSelector = Text(query, "labelSelector"),
            FieldSelector = fieldSelector,
            ResourceVersion = Text(query, "resourceVersion"),
            AllowBookmarks = Flag(query, "allowWatchBookmarks"),
            SendInitialEvents = Flag(query, "sendInitialEvents"),
            Timeout = timeout is > 0 ? TimeSpan.FromSeconds(timeout.Value) : null,
        };
    }

    public static WriteOptions Write(IQueryCollection query) => new()
    {
        DryRun = query["dryRun"].Any(v => v == "All"),
        FieldManager = Text(query, "fieldManager"),
        Force = Flag(query, "force"),
        FieldValidation = Text(query, "fieldValidation"),
    };

    public static DeleteOptions Delete(IQueryCollection query, JsonNode? body)
    {
        var options = new DeleteOptions
        {
            PropagationPolicy = Text(query, "propagationPolicy"),
            GracePeriodSeconds = Number(query, "gracePeriodSeconds"),
            DryRun = query["dryRun"].Any(v => v == "All"),
        };
        if (Text(query, "orphanDependents") is { } orphanText && options.PropagationPolicy is null)
        {
            options = options with { PropagationPolicy = orphanText == "true" ? "Orphan" : "Background" };
        }

        if (body is JsonObject obj)
        {
            var preconditions = obj["preconditions"] as JsonObject;
            options = options with
            {
                PropagationPolicy = obj.GetString("propagationPolicy") ?? options.PropagationPolicy,
                GracePeriodSeconds = obj["gracePeriodSeconds"].GetInt64() ?? options.GracePeriodSeconds,
                PreconditionUid = preconditions?.GetString("uid"),
                PreconditionResourceVersion = preconditions?.GetString("resourceVersion"),
                DryRun = options.DryRun || (obj["dryRun"] as JsonArray)?.Any(v => v?.ToString() == "All") == true,
            };
            if (obj["orphanDependents"].GetBool() is { } orphan && obj.GetString("propagationPolicy") is null)
            {
                options = options with { PropagationPolicy = orphan ? "Orphan" : "Background" };
            }
        }

        return options;
    }

    public static bool Flag(IQueryCollection query, string name) => Text(query, name) is "true" or "1";

    public static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    private static long? Number(IQueryCollection query, string name)
    {
        var text = Text(query, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"invalid value for {name}: \"{text}\"");
    }
}
