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

    static DevicePluginConfigSchemas()
    {
        // The library's default says only "not a match for the indicated regular expression"; a user fixing a
        // resourceName needs the expression. (JsonSchema.Net is used nowhere else in the process.)
        ErrorMessages.Pattern = "does not match the pattern [[pattern]]";
    }

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
        // A branch of an anyOf that another branch satisfied is no problem, whatever it says ("selectors" as one object
        // passes while its list branch reports "should be array").
        var all = result.Details ?? [result];
        var satisfied = all.Where(d => d.IsValid).Select(d => AnyOfBranchParent(d.EvaluationPath.ToString())).OfType<string>().ToHashSet(StringComparer.Ordinal);
        bool InSatisfiedAnyOf(EvaluationResults d)
        {
            var path = d.EvaluationPath.ToString();
            return satisfied.Any(p => path.StartsWith(p, StringComparison.Ordinal));
        }

        var details = all
            .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal) && !InSatisfiedAnyOf(d))
            .ToList();
        var found = details
            .SelectMany(d => d.Errors!.Select(e => (Keyword: e.Key, Problem: Problem(d.InstanceLocation.ToString(), e.Value))))
            .ToList();

        // "selectors or devices" is an anyOf of two required lists: each branch reports its own missing key, which
        // reads as if both were needed. One line per place says that either will do.
        var alternatives = details
            .Where(d => d.EvaluationPath.ToString().Contains("/anyOf/", StringComparison.Ordinal) && d.Errors!.ContainsKey("required"))
            .GroupBy(d => d.InstanceLocation.ToString(), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.SelectMany(d => d.Errors!.Where(e => e.Key == "required").Select(e => MissingNames(e.Value))).Distinct().ToList(),
                StringComparer.Ordinal);
        found = [.. found.Where(t => !(t.Keyword == "required" && alternatives.ContainsKey(t.Problem.Location))),
            .. alternatives.Select(a => (Keyword: "required", Problem: (a.Key, $"needs one of {string.Join(", ", a.Value)}")))];

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

    // ".../anyOf/1" -> ".../anyOf/" (the prefix every branch of that anyOf shares); null for a path that is no branch.
    private static string? AnyOfBranchParent(string path)
    {
        var cut = path.LastIndexOf("/anyOf/", StringComparison.Ordinal);
        if (cut < 0)
        {
            return null;
        }

        var rest = path[(cut + "/anyOf/".Length)..];
        return rest.Length > 0 && rest.All(char.IsAsciiDigit) ? path[..(cut + "/anyOf/".Length)] : null;
    }

    // 'Required properties ["selectors"] are not present' -> '"selectors"'.
    private static string MissingNames(string message)
    {
        var open = message.IndexOf('[', StringComparison.Ordinal);
        var close = message.LastIndexOf(']');
        return open >= 0 && close > open ? message[(open + 1)..close] : message;
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
