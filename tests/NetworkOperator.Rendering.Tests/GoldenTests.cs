namespace NetworkOperator.Rendering.Tests;

/// <summary>
/// Each example's rendered YAML stream must equal its checked-in golden file. After an intended rendering change,
/// regenerate with <c>UPDATE_GOLDEN=1 dotnet test tests/NetworkOperator.Rendering.Tests</c> and review the diff.
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var example in Examples.All)
        {
            data.Add(example.Golden);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rendered_example_matches_its_golden_file(string golden)
    {
        var example = Examples.All.Single(e => e.Golden == golden);
        var actual = Examples.RenderYaml(example);
        var path = Path.Combine(Repository.Golden, golden + ".yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Repository.Golden);
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run UPDATE_GOLDEN=1 dotnet test tests/NetworkOperator.Rendering.Tests");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Rendering_twice_gives_byte_identical_output()
    {
        foreach (var example in Examples.All)
        {
            Assert.Equal(Examples.RenderYaml(example), Examples.RenderYaml(example));
        }
    }

    [Fact]
    public void Every_example_file_is_covered_by_a_golden_case()
    {
        var covered = Examples.All.SelectMany(e => e.Files).Append("nodes.yaml").ToHashSet(StringComparer.Ordinal);
        var files = Directory.GetFiles(Repository.Examples, "*.yaml").Select(Path.GetFileName);
        Assert.All(files, f => Assert.Contains(f!, covered));
    }
}
