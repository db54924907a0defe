using System.CommandLine;
using NetworkOperator.Rendering.Preview;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// Checks custom resources offline with the same rules admission applies, so a policy can be vetted (e.g. in CI)
/// before it reaches a cluster. Objects in the given files are each other's context for cross-object rules. Reads and
/// validates exactly as <c>render</c> does (same reader, CRD defaults applied first, same rule set), so the two never
/// disagree about an object; objects of kinds the operator does not own are reported and skipped.
/// </summary>
internal sealed class ValidateCommand : ICliCommand
{
    public int Order => 210;

    public Command Build()
    {
        var files = InputFileOption.Create("File with NicClusterPolicy, NicNodePolicy and network resources (YAML or JSON; several documents or a List are fine; - reads stdin). Repeatable.");
        var nodes = new Option<string?>("--nodes")
        {
            Description = "Node inventory (e.g. kubectl get nodes -o yaml) for the NicNodePolicy node-selector overlap check.",
        };
        var command = new Command("validate", "Check custom resources against the operator's admission rules without a cluster.") { files, nodes };
        command.SetAction(parseResult => Run(parseResult.GetValue(files) ?? [], parseResult.GetValue(nodes)));
        return command;
    }

    private static int Run(string[] files, string? nodesFile)
    {
        var input = RenderInput.Load(files, nodesFile);
        foreach (var skipped in input.Skipped)
        {
            Console.Error.WriteLine("note: " + skipped);
        }

        foreach (var warning in input.Warnings)
        {
            Console.Error.WriteLine("warning: " + warning);
        }

        if (input.Errors.Count > 0)
        {
            throw new UserErrorException(string.Join(Environment.NewLine, input.Errors));
        }

        Console.Out.WriteLine($"{input.Resources.Count} object(s) valid");
        return 0;
    }
}
