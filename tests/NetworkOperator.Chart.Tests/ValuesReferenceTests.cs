using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

public class ValuesReferenceTests
{
    /// <summary>Subchart value blocks are documented as one row each; their insides belong to those charts.</summary>
    private static readonly string[] OpaqueBlocks =
        ["node-feature-discovery", "sriov-network-operator", "maintenance-operator-chart", "operator.resources", "operator.tolerations", "operator.affinity", "nicClusterPolicy.spec"];

    [Fact]
    public void Every_value_is_documented_in_docs_helm_values_md()
    {
        var values = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(ChartWorkspace.SourceDirectory, "values.yaml"))).Single();
        var reference = File.ReadAllText(RepositoryRoot.Combine("docs", "helm-values.md"));
        var keys = new List<string>();
        Collect(values, string.Empty, keys);

        Assert.Contains("operator.admissionController.certificate.tlsCrt", keys);
        var undocumented = keys.Where(k => !reference.Contains($"| `{k}` |", StringComparison.Ordinal)).ToList();
        Assert.True(undocumented.Count == 0, "values missing from docs/helm-values.md: " + string.Join(", ", undocumented));
    }

    private static void Collect(JsonNode? node, string prefix, List<string> keys)
    {
        if (node is JsonObject obj && obj.Count > 0 && !OpaqueBlocks.Contains(prefix))
        {
            foreach (var (key, child) in obj)
            {
                Collect(child, prefix.Length == 0 ? key : $"{prefix}.{key}", keys);
            }
        }
        else
        {
            keys.Add(prefix);
        }
    }
}
