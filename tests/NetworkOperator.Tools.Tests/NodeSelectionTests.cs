using NetworkOperator.Cli;
using NetworkOperator.Tools.Commands;

namespace NetworkOperator.Tools.Tests;

/// <summary>--nodes is an inventory file; a whole number there (no such file) is a synthetic node count.</summary>
public sealed class NodeSelectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("node-selection-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("1000", 1000)]
    [InlineData("7", 7)]
    [InlineData("10000", 10000)]
    public void A_number_that_names_no_file_is_a_node_count(string value, int expected)
    {
        Assert.False(File.Exists(value));
        Assert.Equal(new NodeSelection(null, expected), NodeSelection.From(value, null));
    }

    [Fact]
    public void An_existing_file_named_like_a_number_stays_an_inventory()
    {
        var file = Path.Combine(_directory, "42");
        File.WriteAllText(file, "apiVersion: v1\nkind: List\nitems: []\n");
        Assert.Equal(new NodeSelection(file, null), NodeSelection.From(file, null));
    }

    [Fact]
    public void Neither_option_leaves_both_empty_and_a_count_passes_through() =>
        Assert.Equal((new NodeSelection(null, null), new NodeSelection(null, 12)), (NodeSelection.From(null, null), NodeSelection.From(null, 12)));

    [Theory]
    [InlineData("0", "--nodes: a node count must be at least 1, got 0")]
    [InlineData("nodes-missing.yaml", "--nodes: file 'nodes-missing.yaml' does not exist")]
    [InlineData("-3", "--nodes: file '-3' does not exist")]
    [InlineData("1.5", "--nodes: file '1.5' does not exist")]
    public void A_value_that_is_neither_names_the_option(string value, string expected)
    {
        var error = Assert.Throws<UserErrorException>(() => NodeSelection.From(value, null));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_options_are_refused_even_when_nodes_is_a_number()
    {
        var error = Assert.Throws<UserErrorException>(() => NodeSelection.From("100", 100));
        Assert.Equal("--nodes and --node-count cannot be used together", error.Message);
    }
}
