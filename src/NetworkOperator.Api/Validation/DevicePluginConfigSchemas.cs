using System.Text.Json;
using Json.Schema;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// JSON Schemas (embedded resources) for the device-plugin <c>config</c> strings, checked with JsonSchema.Net so a bad
/// config is rejected at admission instead of crash-looping the plugin pods.
/// </summary>
internal static class DevicePluginConfigSchemas
{
    private const int MaxReportedProblems = 3;

    private static readonly Lazy<JsonSchema> RdmaSchema = new(() => Load("rdma-shared-device-plugin-config.schema.json"));
    private static readonly Lazy<JsonSchema> SriovSchema = new(() => Load("sriov-device-plugin-config.schema.json"));

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    public static void CheckRdma(string? config, string field, ValidationCollector collector) => Check(RdmaSchema.Value, config, field, collector);

    public static void CheckSriov(string? config, string field, ValidationCollector collector) => Check(SriovSchema.Value, config, field, collector);

    private static void Check(JsonSchema schema, string? config, string field, ValidationCollector collector)
    {
        if (string.IsNullOrWhiteSpace(config))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = StrictJson.ParseDocument(config);
        }
        catch (JsonException ex)
        {
            collector.Invalid(field, config, $"config is not valid JSON: {StrictJson.Describe(ex)}");
            return;
        }

        using (document)
        {
            var result = schema.Evaluate(document.RootElement, Options);
            if (result.IsValid)
            {
                return;
            }

            collector.Invalid(field, config, "config does not match the device plugin's format: " + Describe(result));
        }
    }

    private static string Describe(EvaluationResults result)
    {
        // Branches of anyOf/if-then all report; "if" results are conditions, not failures, and the deepest locations
        // name the actual offending value.
        var found = (result.Details ?? [result])
            .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => (Keyword: e.Key, Problem: Problem(d.InstanceLocation.ToString(), e.Value))))
            .ToList();

        // "selectors" is one object or a list of them (anyOf): for an object with a bad key or value, the list branch
        // also reports "Value is object but should be array" at the object. A type error where something more specific
        // is wrong at the same place or inside it is that other branch talking, not the problem.
        bool Shadowed((string Keyword, (string Location, string Message) Problem) t) =>
            t.Keyword == "type" && found.Any(o =>
                o.Problem.Location.StartsWith(t.Problem.Location + "/", StringComparison.Ordinal)
                || (o.Problem.Location == t.Problem.Location && o.Keyword != "type"));
        var problems = found.Where(t => !Shadowed(t)).Select(t => t.Problem)
            .OrderByDescending(p => p.Location.Count(c => c == '/'))
            .ThenBy(p => p.Location, StringComparer.Ordinal)
            .Select(p => $"{(p.Location.Length == 0 ? "/" : p.Location)}: {p.Message}")
            .Distinct()
            .ToList();
        var shown = string.Join("; ", problems.Take(MaxReportedProblems));
        return problems.Count > MaxReportedProblems ? shown + $" (and {problems.Count - MaxReportedProblems} more)" : shown;
    }

    private static (string Location, string Message) Problem(string location, string message)
    {
        // "additionalProperties: false" reports at the extra key itself; say what that means.
        if (message.Contains("false schema", StringComparison.Ordinal))
        {
            var cut = location.LastIndexOf('/');
            var key = location[(cut + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            return (location[..Math.Max(cut, 0)], $"unknown key \"{key}\"");
        }

        return (location, message);
    }

    private static JsonSchema Load(string name)
    {
        var assembly = typeof(DevicePluginConfigSchemas).Assembly;
        using var stream = assembly.GetManifestResourceStream("NetworkOperator.Api.Validation.Schemas." + name)
            ?? throw new InvalidOperationException($"embedded schema {name} is missing");
        using var reader = new StreamReader(stream);

        // A private registry: the schemas' $ids must not collide with anything else in the process.
        return JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }
}
