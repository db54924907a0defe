using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace NetworkOperator.Chart.Tests.Infrastructure;

/// <summary>
/// The openAPIV3Schema of a CRD checked in under the chart's crds/, used to check objects the chart renders the way the
/// API server would: JSON Schema keywords (types, enums, patterns, required) plus strict unknown-field detection,
/// since a structural schema lists every allowed field.
/// </summary>
public sealed class CrdSchema
{
    private readonly JsonNode _schema;
    private readonly JsonSchema _evaluator;

    private CrdSchema(JsonNode schema)
    {
        _schema = schema;
        // x-kubernetes-* keywords are annotations for the API server; JSON Schema evaluation must not see them.
        var plain = schema.DeepClone();
        StripKubernetesExtensions(plain);
        _evaluator = JsonSchema.FromText(plain.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    public static string Directory => Path.Combine(ChartWorkspace.SourceDirectory, "crds");

    public static CrdSchema Load(string fileName, string version = "v1alpha1")
    {
        var crd = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(Directory, fileName))).Single();
        var served = crd["spec"]!["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == version)!;
        return new CrdSchema(served["schema"]!["openAPIV3Schema"]!.DeepClone());
    }

    /// <summary>Every problem found, as "path: message"; empty when the object is valid.</summary>
    public IReadOnlyList<string> Check(JsonNode instance)
    {
        var problems = new List<string>();
        var result = _evaluator.Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            problems.AddRange((result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
            if (problems.Count == 0)
            {
                problems.Add("invalid against the CRD schema");
            }
        }

        FindUnknownFields(instance, _schema, string.Empty, problems);
        return problems;
    }

    private static void StripKubernetesExtensions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, child) in obj)
                {
                    StripKubernetesExtensions(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    StripKubernetesExtensions(child);
                }

                break;
        }
    }

    private static void FindUnknownFields(JsonNode? value, JsonNode schema, string path, List<string> problems)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (key, child) in obj)
                {
                    if (properties[key] is { } childSchema)
                    {
                        FindUnknownFields(child, childSchema, $"{path}.{key}", problems);
                    }
                    else if (path.Length > 0 || key is not ("apiVersion" or "kind" or "metadata"))
                    {
                        problems.Add($"{path}.{key}: unknown field");
                    }
                }

                break;
            case JsonObject obj when schema["additionalProperties"] is JsonObject additional:
                foreach (var (key, child) in obj)
                {
                    FindUnknownFields(child, additional, $"{path}.{key}", problems);
                }

                break;
            case JsonArray array when schema["items"] is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    FindUnknownFields(array[i], items, $"{path}[{i}]", problems);
                }

                break;
        }
    }
}
