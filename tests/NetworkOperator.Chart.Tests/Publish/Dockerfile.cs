using System.Text.RegularExpressions;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Publish;

/// <summary>The repository's Dockerfile, read as instructions (one per logical line, continuations joined).</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Keyword, string Arguments)> instructions) => Instructions = instructions;

    public static string FilePath => RepositoryRoot.Combine("Dockerfile");

    public IReadOnlyList<(string Keyword, string Arguments)> Instructions { get; }

    public IEnumerable<string> Arguments(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>The arguments after `dotnet publish` of the single `RUN dotnet publish ...` instruction, split like a shell would (no quoting used).</summary>
    public IReadOnlyList<string> PublishArguments()
    {
        var run = Assert.Single(Arguments("RUN"), a => a.StartsWith("dotnet publish ", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"[;&|$`""']", run);
        return run.Split(" ", StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
    }

    public static Dockerfile Load()
    {
        var text = File.ReadAllText(FilePath).Replace("\\\n", " ", StringComparison.Ordinal);
        var instructions = text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => InstructionPattern().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value.ToUpperInvariant(), Whitespace().Replace(m.Groups[2].Value, " ")))
            .ToList();
        return new Dockerfile(instructions);
    }

    [GeneratedRegex(@"^([A-Za-z]+)\s+(.*)$")]
    private static partial Regex InstructionPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
