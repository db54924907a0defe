using System.Text.Json.Nodes;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Tests.Serialization;

public class YamlJsonTests
{
    [Theory]
    [InlineData("a: 12", "{\"a\":12}")]
    [InlineData("a: '12'", "{\"a\":\"12\"}")]
    [InlineData("a: 1.5", "{\"a\":1.5}")]
    [InlineData("a: 0x1F", "{\"a\":31}")]
    [InlineData("a: true", "{\"a\":true}")]
    [InlineData("a: yes", "{\"a\":true}")]
    [InlineData("a: off", "{\"a\":false}")]
    [InlineData("a: n", "{\"a\":\"n\"}")]
    [InlineData("a: ~", "{\"a\":null}")]
    [InlineData("a:", "{\"a\":null}")]
    [InlineData("a: !!str 12", "{\"a\":\"12\"}")]
    [InlineData("a: 24.10-0.7.0.0", "{\"a\":\"24.10-0.7.0.0\"}")]
    [InlineData("a: [1, \"x\", {b: c}]", "{\"a\":[1,\"x\",{\"b\":\"c\"}]}")]
    [InlineData("{\"a\": {\"b\": [true, null]}}", "{\"a\":{\"b\":[true,null]}}")]
    [InlineData("base: &x {k: v}\ncopy: *x", "{\"base\":{\"k\":\"v\"},\"copy\":{\"k\":\"v\"}}")]
    public void Scalars_are_typed_like_kubectl_types_them(string yaml, string json)
    {
        var root = YamlJson.ParseDocuments(yaml).Single().Root!;

        Assert.Equal(json, root.ToJsonString());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("y")]
    [InlineData("123")]
    [InlineData("1.5")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("a: b")]
    [InlineData("- x")]
    [InlineData("line1\nline2\n")]
    [InlineData("trailing ")]
    [InlineData("#comment")]
    [InlineData("'quoted'")]
    [InlineData("{\"json\": [1, 2]}")]
    public void Strings_survive_writing_and_reading(string value)
    {
        var yaml = YamlJson.ToYaml(new JsonObject { ["v"] = value });

        var back = YamlJson.ParseDocuments(yaml).Single().Root!;

        Assert.Equal(value, back["v"]!.GetValue<string>());
    }

    [Fact]
    public void Streams_yield_every_document_with_its_start_line()
    {
        var documents = YamlJson.ParseDocuments("a: 1\n---\n# only a comment\n---\nb: 2\n");

        Assert.Equal(3, documents.Count);
        Assert.Null(documents[1].Root);
        Assert.Equal(5, documents[2].Locations["b"].Line);
    }

    [Fact]
    public void Field_locations_are_recorded_by_user_path()
    {
        var document = YamlJson.ParseDocuments("spec:\n  tolerations:\n  - key: a\n  nodeSelector:\n    kubernetes.io/os: linux\n").Single();

        Assert.Equal(3, document.Locations["spec.tolerations[0].key"].Line);
        Assert.Equal(5, document.Locations["spec.nodeSelector[\"kubernetes.io/os\"]"].Line);
        Assert.Equal(3, document.LocationOf("spec.tolerations[0].key.unknown")!.Value.Line);
    }

    [Fact]
    public void Syntax_errors_carry_line_and_column()
    {
        var error = Assert.Throws<YamlSyntaxException>(() => YamlJson.ParseDocuments("a: 1\nb: [1, 2\nc: 3\n"));

        Assert.True(error.Location.Line >= 2);
    }

    [Fact]
    public void Duplicate_keys_are_rejected_with_their_location()
    {
        var error = Assert.Throws<YamlSyntaxException>(() => YamlJson.ParseDocuments("a: 1\nb: 2\na: 3\n"));

        Assert.Contains("duplicate key 'a'", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void Excessive_nesting_is_a_syntax_error_not_a_crash()
    {
        var yaml = string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000));

        var error = Assert.Throws<YamlSyntaxException>(() => YamlJson.ParseDocuments(yaml));

        Assert.Contains("nesting deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Alias_bombs_are_rejected()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml += $"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n";
        }

        var error = Assert.Throws<YamlSyntaxException>(() => YamlJson.ParseDocuments(yaml));

        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
    }
}
