using System.Text.Json.Nodes;

namespace NetworkOperator.Chart.Tests.Infrastructure;

/// <summary>The objects `helm template` printed, with lookups by kind and name.</summary>
public sealed class RenderedChart
{
    public const string ReleaseName = "network-operator";
    public const string Namespace = "nvidia-network-operator";
    public const string NodeFeatureRuleApi = "nfd.k8s-sigs.io/v1alpha1/NodeFeatureRule";

    private RenderedChart(IReadOnlyList<JsonObject> objects, string yaml)
    {
        Objects = objects;
        Yaml = yaml;
    }

    public IReadOnlyList<JsonObject> Objects { get; }

    public string Yaml { get; }

    /// <summary>Runs `helm template` on the prepared chart copy; extra arguments are passed through (values, --set ...).</summary>
    public static async Task<RenderedChart> RenderAsync(params string[] extraArgs)
    {
        var args = new List<string>
        {
            "template", ReleaseName, ChartWorkspace.Directory, "--namespace", Namespace, "--kube-version", "1.32.0",
        };
        args.AddRange(extraArgs);
        var result = await Helm.RunAsync([.. args]);
        Assert.True(result.ExitCode == 0, $"helm {string.Join(' ', args)} failed:\n{result.Output}");
        return new RenderedChart(YamlJson.ParseDocuments(result.StdOut), result.StdOut);
    }

    public static Task<RenderedChart> RenderWithValuesFileAsync(string valuesFileName, params string[] extraArgs) =>
        RenderAsync([.. new[] { "-f", Path.Combine(ChartWorkspace.Directory, "ci", valuesFileName) }, .. extraArgs]);

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    public JsonObject One(string kind) => Assert.Single(OfKind(kind));

    public JsonObject One(string kind, string name) => Assert.Single(OfKind(kind), o => Name(o) == name);

    public bool Has(string kind) => OfKind(kind).Any();

    public static string Kind(JsonNode o) => o["kind"]?.GetValue<string>() ?? string.Empty;

    public static string Name(JsonNode o) => o["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;

    public static string? NamespaceOf(JsonNode o) => o["metadata"]?["namespace"]?.GetValue<string>();

    public static string? Annotation(JsonNode o, string key) => o["metadata"]?["annotations"]?[key]?.GetValue<string>();
}
