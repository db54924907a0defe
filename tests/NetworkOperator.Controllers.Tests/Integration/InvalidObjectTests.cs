using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Runtime.Hosting;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>One stored object the operator cannot read never stops the rest of its kind.</summary>
public sealed class InvalidObjectTests
{
    private static JsonNode Macvlan(string name, string mtu) => JsonNode.Parse($$$"""
        {"apiVersion":"mellanox.com/v1alpha1","kind":"MacvlanNetwork","metadata":{"name":"{{{name}}}"},
         "spec":{"networkNamespace":"default","master":"ens2f0","mode":"bridge","mtu":{{{mtu}}},"ipam":"{\"type\":\"whereabouts\",\"range\":\"192.168.2.0/24\"}"}}
        """)!;

    [Fact]
    public async Task A_MacvlanNetwork_with_an_mtu_beyond_int32_is_skipped_with_an_event_and_the_others_reconcile()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        // Real servers before 1.36 store a value beyond an int32 field's format when the schema sets no maximum (as the
        // upstream CRD does not); make sure this CRD lets it through whatever bounds ours carries.
        await RemoveMtuBoundsAsync(fx);
        await fx.Client.CustomObjects.CreateClusterCustomObjectAsync(Macvlan("bad", "4294967296"), "mellanox.com", "v1alpha1", "macvlannetworks");
        var host = await fx.StartOperatorAsync();
        await fx.Client.CustomObjects.CreateClusterCustomObjectAsync(Macvlan("good", "1500"), "mellanox.com", "v1alpha1", "macvlannetworks");
        await fx.Client.CustomObjects.CreateClusterCustomObjectAsync(Macvlan("bad-later", "-4294967296"), "mellanox.com", "v1alpha1", "macvlannetworks");
        await fx.Client.CustomObjects.CreateClusterCustomObjectAsync(Macvlan("good-later", "9000"), "mellanox.com", "v1alpha1", "macvlannetworks");

        foreach (var good in new[] { "good", "good-later" })
        {
            await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("macvlannetworks", good))?["status"]?["state"]?.GetValue<string>() == "ready",
                $"{good} ready with its NetworkAttachmentDefinition");
        }

        foreach (var bad in new[] { "bad", "bad-later" })
        {
            await Eventually.TrueAsync(async () => (await fx.Client.CoreV1.ListNamespacedEventAsync("default",
                    fieldSelector: $"involvedObject.name={bad}")).Items
                .Any(e => e.Type == "Warning" && e.Reason == ControllerManager.InvalidObjectReason && e.Message.Contains("spec.mtu", StringComparison.Ordinal)),
                $"a Warning Event on {bad} naming spec.mtu");
            Assert.Null((await fx.GetCustomAsync("macvlannetworks", bad))!["status"]);
        }

        var nads = await fx.Client.CustomObjects.ListNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions");
        var names = JsonNode.Parse(KubernetesJson.Serialize(nads))!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["good", "good-later"], names);
        Assert.Equal(2, host.Manager.Metrics.InvalidObjects.WithLabels("macvlannetworks.mellanox.com").Value);
        Assert.Null(host.Manager.NotReadyReason);
    }

    private static async Task RemoveMtuBoundsAsync(OperatorFixture fx)
    {
        const string name = "macvlannetworks.mellanox.com";
        var crd = JsonNode.Parse(KubernetesJson.Serialize(await fx.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name)))!.AsObject();
        var changed = false;
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            if (version!["schema"]?["openAPIV3Schema"]?["properties"]?["spec"]?["properties"]?["mtu"] is JsonObject mtu)
            {
                changed |= mtu.Remove("maximum") | mtu.Remove("minimum");
            }
        }

        if (changed)
        {
            await fx.Client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(
                KubernetesJson.Deserialize<k8s.Models.V1CustomResourceDefinition>(crd.ToJsonString()), name);
        }
    }
}
