using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Rendering.Objects;

namespace NetworkOperator.Rendering.Preview;

/// <summary>Serializes a rendered object set for people and tools: a YAML stream, or a JSON <c>v1 List</c>.</summary>
public static class RenderOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects(IEnumerable<StateOutcome> outcomes) =>
        [.. outcomes.SelectMany(o => o.Objects)];

    public static string ToYaml(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        YamlStreamWriter.Write(objects.Select(o => (JsonNode?)ObjectJson.ToNode(o)));

    public static string ToJsonList(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray([.. objects.Select(o => (JsonNode)ObjectJson.ToNode(o))]),
        };
        return list.ToJsonString(Indented) + "\n";
    }
}
