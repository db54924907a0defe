using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Patch;

namespace NetworkOperator.Simulator.Tests.Patch;

public sealed class StrategicMergePatchTests
{
    private static JsonNode Apply(string original, string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch))!;

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n  actual {actual.ToJsonString()}");

    [Fact]
    public void Containers_merge_by_name_and_env_by_name()
    {
        var result = Apply(
            """{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},{"name":"b","image":"b:1"}]}}""",
            """{"spec":{"containers":[{"name":"a","image":"a:2","env":[{"name":"Y","value":"3"},{"name":"Z","value":"4"}]}]}}""");
        AssertJson("""{"spec":{"containers":[{"name":"a","image":"a:2","env":[{"name":"X","value":"1"},{"name":"Y","value":"3"},{"name":"Z","value":"4"}]},{"name":"b","image":"b:1"}]}}""", result);
    }

    [Fact]
    public void Volume_mounts_merge_by_mount_path_and_ports_by_container_port_but_service_ports_by_port()
    {
        var pod = Apply(
            """{"containers":[{"name":"a","volumeMounts":[{"mountPath":"/x","name":"v1"}],"ports":[{"containerPort":80,"name":"http"}]}]}""",
            """{"containers":[{"name":"a","volumeMounts":[{"mountPath":"/x","name":"v2"}],"ports":[{"containerPort":443,"name":"https"}]}]}""");
        AssertJson("""{"containers":[{"name":"a","volumeMounts":[{"mountPath":"/x","name":"v2"}],"ports":[{"containerPort":80,"name":"http"},{"containerPort":443,"name":"https"}]}]}""", pod);

        var service = Apply("""{"spec":{"ports":[{"port":80,"targetPort":8080}]}}""", """{"spec":{"ports":[{"port":80,"targetPort":9090}]}}""");
        AssertJson("""{"spec":{"ports":[{"port":80,"targetPort":9090}]}}""", service);
    }

    [Fact]
    public void Tolerations_and_args_are_replaced_and_conditions_merge_by_type()
    {
        var result = Apply(
            """{"tolerations":[{"key":"a"}],"args":["x","y"],"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Other","status":"True"}]}}""",
            """{"tolerations":[{"key":"b"}],"args":["z"],"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        AssertJson("""{"tolerations":[{"key":"b"}],"args":["z"],"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Other","status":"True"}]}}""", result);
    }

    [Fact]
    public void Directives_delete_replace_retain_keys_set_element_order_and_delete_from_primitive_list()
    {
        var deleted = Apply("""{"containers":[{"name":"a"},{"name":"b"}]}""", """{"containers":[{"name":"a","$patch":"delete"}]}""");
        AssertJson("""{"containers":[{"name":"b"}]}""", deleted);

        var replaced = Apply("""{"spec":{"a":1,"b":2}}""", """{"spec":{"$patch":"replace","c":3}}""");
        AssertJson("""{"spec":{"c":3}}""", replaced);

        var listReplaced = Apply("""{"containers":[{"name":"a"},{"name":"b"}]}""", """{"containers":[{"$patch":"replace"},{"name":"c"}]}""");
        AssertJson("""{"containers":[{"name":"c"}]}""", listReplaced);

        var retained = Apply("""{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}""",
            """{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}""");
        AssertJson("""{"strategy":{"type":"Recreate"}}""", retained);

        var ordered = Apply("""{"containers":[{"name":"a"},{"name":"b"}]}""",
            """{"$setElementOrder/containers":[{"name":"c"},{"name":"b"},{"name":"a"}],"containers":[{"name":"c"}]}""");
        AssertJson("""{"containers":[{"name":"c"},{"name":"b"},{"name":"a"}]}""", ordered);

        var primitives = Apply("""{"metadata":{"finalizers":["a","b","c"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""");
        AssertJson("""{"metadata":{"finalizers":["a","c"]}}""", primitives);

        var union = Apply("""{"metadata":{"finalizers":["a"]}}""", """{"metadata":{"finalizers":["b"]}}""");
        AssertJson("""{"metadata":{"finalizers":["a","b"]}}""", union);
    }

    [Fact]
    public void Null_removes_keys_like_merge_patch()
    {
        AssertJson("""{"metadata":{"labels":{"b":"2"}}}""", Apply("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"a":null}}}"""));
    }
}
