using System.Text.Json.Nodes;
using NetworkOperator.Rendering.Objects;

namespace NetworkOperator.Rendering.Tests.Common;

public class YamlStreamWriterTests
{
    [Fact]
    public void Strings_that_would_read_back_as_other_types_are_quoted()
    {
        var yaml = YamlStreamWriter.Write([JsonNode.Parse("{\"a\":\"true\",\"b\":\"22.04\",\"c\":\"\",\"d\":\"plain text\",\"e\":5,\"f\":false,\"g\":\"null\",\"h\":\"1\"}")]);
        Assert.Equal("---\na: \"true\"\nb: \"22.04\"\nc: \"\"\nd: plain text\ne: 5\nf: false\ng: \"null\"\nh: \"1\"\n", yaml);
    }

    [Fact]
    public void Multi_line_strings_use_literal_blocks_and_documents_are_separated()
    {
        var yaml = YamlStreamWriter.Write([JsonNode.Parse("{\"data\":\"line1\\nline2\\n\"}"), JsonNode.Parse("{\"list\":[1,{}],\"empty\":[]}")]);
        Assert.Equal("---\ndata: |\n  line1\n  line2\n---\nlist:\n- 1\n- {}\nempty: []\n", yaml);
    }
}
