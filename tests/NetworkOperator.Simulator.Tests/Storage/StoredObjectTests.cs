using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Tests.Storage;

/// <summary>
/// The store serializes an object before its commit lock and splices the resource version in under it. Whatever the
/// object holds, the stored bytes must be exactly what serializing it with that resource version gives.
/// </summary>
public sealed class StoredObjectTests
{
    [Theory]
    [InlineData(7L)]
    [InlineData(1234567890123L)]
    public async Task The_stamped_object_is_byte_for_byte_the_object_serialized_with_its_resource_version(long revision)
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var pod = Pod();

        var prepared = StoredObject.Prepare(pods, pod);
        Assert.True(prepared.SplicesInPlace);
        var stored = prepared.Stamp(revision);

        Assert.Equal(revision, stored.ResourceVersion);
        Assert.Equal(Reference(pod, revision), Encoding.UTF8.GetString(stored.Json));
        Assert.Equal(revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonNode.Parse(stored.Json)!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("web", stored.Labels["app"]);
        Assert.Equal(["owner-uid"], stored.OwnerUids);
        Assert.True(stored.HasFinalizers);
    }

    [Theory]
    [InlineData("""{"status":{"conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}]}}""", true)]
    [InlineData("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", false)]
    [InlineData("""{"status":{"conditions":[{"type":"ContainersReady","status":"True"}]}}""", false)]
    [InlineData("""{"status":{"phase":"Running"}}""", false)]
    [InlineData("""{"status":{"conditions":"Ready"}}""", false)]
    [InlineData("""{"spec":{}}""", false)]
    public async Task Readiness_is_the_Ready_condition_being_True(string status, bool ready)
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var pod = JsonNode.Parse(status)!.AsObject();
        pod["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "default" };

        var stored = StoredObject.Create(pods, pod, 3);

        Assert.Equal(ready, stored.IsReady);
        Assert.Equal(ready, stored.IsReady);
    }

    [Fact]
    public async Task Text_that_looks_like_the_placeholder_elsewhere_in_the_object_is_kept_as_sent()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var pod = Pod();

        // The placeholder's text inside a string, and a nested resourceVersion member holding the placeholder's value.
        pod["metadata"]!["annotations"] = new JsonObject { ["note"] = "\"resourceVersion\":\"\u0000rv-placeholder\"" };
        pod["spec"]!["nested"] = new JsonObject { ["resourceVersion"] = "\u0000rv-placeholder" };

        var prepared = StoredObject.Prepare(pods, pod);
        Assert.False(prepared.SplicesInPlace);
        var stored = prepared.Stamp(42);

        var json = Encoding.UTF8.GetString(stored.Json);
        Assert.Equal(Reference(pod, 42), json);
        var parsed = JsonNode.Parse(stored.Json)!;
        Assert.Equal("42", parsed["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("\"resourceVersion\":\"\u0000rv-placeholder\"", parsed["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        Assert.Equal("\u0000rv-placeholder", parsed["spec"]!["nested"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Committed_objects_carry_the_revision_the_server_reports()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;

        var created = await server.Resources.CreateAsync(pods, "default", Pod());

        var fromJson = JsonNode.Parse(created.Json)!["metadata"]!["resourceVersion"]!.GetValue<string>();
        Assert.Equal(created.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), fromJson);
    }

    private static string Reference(JsonObject pod, long revision)
    {
        var copy = pod.DeepClone().AsObject();
        copy["metadata"]!["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(copy, SimulatorJson.Compact);
    }

    private static JsonObject Pod() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = "p",
            ["namespace"] = "default",
            ["labels"] = new JsonObject { ["app"] = "web" },
            ["finalizers"] = new JsonArray("example.com/keep"),
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "DaemonSet", ["name"] = "ds", ["uid"] = "owner-uid", ["controller"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "example.com/img:1 <&>" }),
        },
    };
}
