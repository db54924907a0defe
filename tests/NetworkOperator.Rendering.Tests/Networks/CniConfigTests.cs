using System.Text.Json.Nodes;
using NetworkOperator.Rendering.Networks;

namespace NetworkOperator.Rendering.Tests.Networks;

public class CniConfigTests
{
    [Fact]
    public void Single_plugin_config_puts_plugin_keys_at_the_top_level()
    {
        var json = CniConfig.Build("net", new JsonObject { ["type"] = "macvlan", ["master"] = "ens2f0", ["ipam"] = CniConfig.ParseIpam(null, "spec.ipam") }, null, "spec.metaPlugins");
        Assert.Equal("{\"cniVersion\":\"0.3.1\",\"name\":\"net\",\"type\":\"macvlan\",\"master\":\"ens2f0\",\"ipam\":{}}", json);
    }

    [Fact]
    public void Meta_plugins_make_a_conflist_with_the_main_plugin_first()
    {
        var json = CniConfig.Build("net", new JsonObject { ["type"] = "host-device" }, "{\"type\":\"tuning\"},\n {\"type\": \"sbr\"}", "spec.metaPlugins");
        Assert.Equal("{\"cniVersion\":\"0.3.1\",\"name\":\"net\",\"plugins\":[{\"type\":\"host-device\"},{\"type\":\"tuning\"},{\"type\":\"sbr\"}]}", json);
    }

    [Fact]
    public void Ipam_is_spliced_as_json_and_whitespace_inside_strings_survives()
    {
        var ipam = CniConfig.ParseIpam("{ \"type\": \"static\", \"note\": \"two  spaces and a ' quote\" }", "spec.ipam");
        var json = CniConfig.Build("n", new JsonObject { ["type"] = "ipoib", ["ipam"] = ipam }, null, "spec.metaPlugins");
        Assert.Contains("\"note\":\"two  spaces and a ' quote\"", json, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(json));
    }

    [Theory]
    [InlineData("{\"type\":", "is not valid JSON")]
    [InlineData("[1]", "must be a JSON object, got an array")]
    [InlineData("\"x\"", "must be a JSON object, got a string")]
    public void Invalid_ipam_is_a_render_error_naming_the_field(string ipam, string message)
    {
        var ex = Assert.Throws<RenderException>(() => CniConfig.ParseIpam(ipam, "spec.ipam"));
        Assert.Equal("spec.ipam", ex.FieldPath);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"sbr\"", "not a valid comma-separated list")]
    [InlineData("{\"type\":\"sbr\"}, 3", "element 1 must be a JSON object")]
    [InlineData("{\"mtu\":1}", "element 0 has no \"type\"")]
    public void Invalid_meta_plugins_are_a_render_error(string metaPlugins, string message)
    {
        var ex = Assert.Throws<RenderException>(() => CniConfig.ParseMetaPlugins(metaPlugins, "spec.metaPlugins"));
        Assert.Equal("spec.metaPlugins", ex.FieldPath);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
