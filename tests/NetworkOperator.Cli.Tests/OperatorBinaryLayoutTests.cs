using System.Reflection;
using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// The operator binary (what the image runs) carries neither the embedded simulated cluster nor the benchmarks; those
/// are the tools executable's. Checked on the built assemblies and on the deps file the publish reads.
/// </summary>
public sealed class OperatorBinaryLayoutTests
{
    private static readonly string[] OperatorAssemblies =
        ["network-operator", "NetworkOperator.Api", "NetworkOperator.Rendering", "NetworkOperator.Runtime", "NetworkOperator.Controllers"];

    [Fact]
    public void No_operator_assembly_references_the_simulator()
    {
        foreach (var name in OperatorAssemblies)
        {
            var references = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.DoesNotContain("NetworkOperator.Simulator", references);
            Assert.DoesNotContain("network-operator-tools", references);
        }
    }

    [Fact]
    public void The_operator_deps_file_lists_no_simulator_or_tools()
    {
        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "network-operator.deps.json")))!;
        var libraries = deps["libraries"]!.AsObject().Select(p => p.Key.Split('/')[0]).ToList();
        Assert.Contains("NetworkOperator.Controllers", libraries);
        Assert.DoesNotContain("NetworkOperator.Simulator", libraries);
        Assert.DoesNotContain("network-operator-tools", libraries);
    }

    [Fact]
    public void No_benchmark_type_ships_in_an_operator_assembly()
    {
        foreach (var name in OperatorAssemblies)
        {
            var benchmarks = Assembly.Load(name).GetTypes()
                .Where(t => t.Namespace?.Contains("Benchmark", StringComparison.Ordinal) == true ||
                            t.Name.Contains("Benchmark", StringComparison.Ordinal) || t.Name.StartsWith("Synthetic", StringComparison.Ordinal))
                .Select(t => t.FullName)
                .ToList();
            Assert.True(benchmarks.Count == 0, $"{name}: {string.Join(", ", benchmarks)}");
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task The_operator_help_lists_its_commands_and_not_the_tools()
    {
        var result = await CliProcess.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        var commands = result.StdOut.Split('\n')
            .SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Trim().Split(' ')[0])
            .Where(c => c.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "run", "crds", "render", "diff", "doctor", "validate", "keep-ncp", "version" })
        {
            Assert.Contains(expected, commands);
        }

        Assert.DoesNotContain(commands, c => c is "demo" or "sim" || c.StartsWith("bench-", StringComparison.Ordinal));
    }
}
