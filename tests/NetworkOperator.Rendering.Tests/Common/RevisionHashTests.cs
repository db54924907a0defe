using System.Text.Json.Nodes;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.Objects;

namespace NetworkOperator.Rendering.Tests.Common;

public class RevisionHashTests
{
    private static V1ConfigMap Sample() => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "rdma-devices", NamespaceProperty = "nvidia-network-operator", Labels = new Dictionary<string, string> { [Labels.State] = StateNames.RdmaDevicePlugin } },
        Data = new Dictionary<string, string> { ["config.json"] = "{\"configList\":[]}" },
    };

    [Fact]
    public void Canonical_form_sorts_keys_and_has_no_whitespace()
    {
        var node = JsonNode.Parse("{\"b\": 1, \"a\": {\"d\": [3, 2], \"c\": \"x y\"}}");
        Assert.Equal("{\"a\":{\"c\":\"x y\",\"d\":[3,2]},\"b\":1}", ObjectJson.Canonical(node));
    }

    [Fact]
    public void Key_order_does_not_change_the_hash()
    {
        var a = JsonNode.Parse("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}")!.AsObject();
        var b = JsonNode.Parse("{\"metadata\":{\"labels\":{\"b\":\"2\",\"a\":\"1\"},\"name\":\"x\"},\"kind\":\"ConfigMap\"}")!.AsObject();
        Assert.Equal(RevisionHash.Compute(a), RevisionHash.Compute(b));
    }

    [Fact]
    public void Value_is_pinned_so_it_is_identical_across_runs_and_machines()
    {
        // Pinned: if this changes, every object in every cluster gets one needless update after an operator upgrade.
        Assert.Equal("13965286411771351409", RevisionHash.Compute(Sample()));
    }

    [Fact]
    public void Stamp_writes_the_annotation_and_ignores_a_previous_revision()
    {
        var obj = Sample();
        var first = RevisionHash.Stamp(obj);
        Assert.Equal(first, obj.Metadata.Annotations[Annotations.Revision]);
        Assert.Equal(first, RevisionHash.Stamp(obj));
        Assert.Matches("^[0-9]+$", first);
    }

    [Fact]
    public void Any_content_change_changes_the_hash()
    {
        var changed = Sample();
        changed.Data["config.json"] = "{\"configList\":[{}]}";
        Assert.NotEqual(RevisionHash.Compute(Sample()), RevisionHash.Compute(changed));
    }
}
