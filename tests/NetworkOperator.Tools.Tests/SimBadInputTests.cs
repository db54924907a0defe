using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary><c>sim --nodes</c> reads its inventory with the same file checks and limits as every other input file.</summary>
[Trait("Category", "Slow")]
public sealed class SimBadInputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sim-bad-input-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Sim_nodes_gets_the_same_file_checks_and_limits()
    {
        var bomb = new System.Text.StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'h'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append(level).Append(": &").Append(level).Append(" [").AppendJoin(", ", Enumerable.Repeat("*" + previous, 10)).Append("]\n");
        }

        var file = Path.Combine(_directory.FullName, "nodes-bomb.yaml");
        await File.WriteAllTextAsync(file, bomb.ToString());
        foreach (var (path, reason) in new[] { ("/dev/zero", "is a device, not a regular file"), (file, "the file expands to more than") })
        {
            var result = await CliProcess.RunToolsAsync(["sim", "--port", "0", "--nodes", path], timeout: TimeSpan.FromMinutes(2));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(reason, result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", result.StdErr, StringComparison.Ordinal);
            Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
        }
    }
}
