using System.Buffers;
using System.Text;
using System.Text.Json;
using k8s.Models;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Tests.Client;

public sealed class JsonShapeTests
{
    private static string Cut(JsonShape shape, string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        shape.WriteTo(document.RootElement, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Keeps_the_named_properties_whole_and_skips_the_rest()
    {
        var shape = JsonShape.Of("a", "c");
        Assert.Equal("""{"a":{"x":[1,2]},"c":null}""", Cut(shape, """{"a":{"x":[1,2]},"b":{"big":"value"},"c":null}"""));
    }

    [Fact]
    public void Nested_shapes_cut_objects_and_apply_to_every_item_of_an_array()
    {
        var shape = JsonShape.Of(("spec", JsonShape.Of("nodeName")), ("items", JsonShape.Of("name")));
        Assert.Equal("""{"spec":{"nodeName":"n1"},"items":[{"name":"a"},{"name":"b"},{}]}""",
            Cut(shape, """{"spec":{"containers":[{"name":"c"}],"nodeName":"n1"},"items":[{"name":"a","x":1},{"name":"b"},{"y":2}]}"""));
    }

    [Fact]
    public void A_scalar_where_an_object_was_expected_is_passed_on_for_the_model_to_judge()
    {
        var shape = JsonShape.Of(("spec", JsonShape.Of("nodeName")));
        Assert.Equal("""{"spec":"oops"}""", Cut(shape, """{"spec":"oops","other":1}"""));
        Assert.Equal("""{"x":1,"y":2}""", Cut(JsonShape.Of("x").With("y"), """{"x":1,"y":2,"z":3}"""));
    }

    [Fact]
    public void Decodes_the_kept_part_with_the_kubernetes_converters()
    {
        using var document = JsonDocument.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"2026-01-02T03:04:05Z","managedFields":[{"manager":"m"}]},
             "spec":{"nodeName":"n1","containers":[{"name":"c","resources":{"limits":{"cpu":"500m"}}}]},
             "status":{"phase":"Running","startTime":"2026-01-02T03:04:06Z"}}
            """);
        var shape = JsonShape.Of(("apiVersion", JsonShape.All), ("metadata", JsonShape.Of("name", "creationTimestamp")),
            ("spec", JsonShape.Of("nodeName")), ("status", JsonShape.Of("phase")));

        var pod = shape.Deserialize<V1Pod>(document.RootElement)!;

        Assert.Equal("p", pod.Metadata.Name);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), pod.Metadata.CreationTimestamp!.Value.ToUniversalTime());
        Assert.Null(pod.Metadata.ManagedFields);
        Assert.Null(pod.Kind);
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Null(pod.Spec.Containers);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Null(pod.Status.StartTime);
    }
}
