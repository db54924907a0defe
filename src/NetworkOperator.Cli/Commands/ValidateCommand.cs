using System.CommandLine;
using k8s.Models;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// Checks custom resources offline with the same rules admission applies, so a policy can be vetted (e.g. in CI)
/// before it reaches a cluster. Objects in the given files are each other's context for cross-object rules.
/// </summary>
internal sealed class ValidateCommand : ICliCommand
{
    public int Order => 210;

    public Command Build()
    {
        var files = InputFileOption.Create("File with NicClusterPolicy, NicNodePolicy and network resources (YAML or JSON; several documents or a List are fine). Repeatable.");
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
        var reader = new ManifestReader();
        var paths = files.ToList();
        if (nodesFile is not null)
        {
            paths.Add(nodesFile);
        }

        var read = reader.ReadFiles(paths);
        if (!read.Succeeded)
        {
            throw new UserErrorException(string.Join(Environment.NewLine, read.Errors));
        }

        var values = read.Objects.Select(o => o.Value).ToList();
        var context = new ValidationContext
        {
            ClusterPolicies = values.OfType<NicClusterPolicy>().ToList(),
            NodePolicies = values.OfType<NicNodePolicy>().ToList(),
            Nodes = values.OfType<V1Node>().ToList(),
        };

        var errors = new List<string>();
        var checkedCount = 0;
        foreach (var obj in read.Objects.Where(o => o.Value is not V1Node))
        {
            checkedCount++;
            var result = ObjectValidator.Validate(obj.Value, context);
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine("warning: " + obj.ErrorAt(warning.Field, warning.Message));
            }

            // The manifest error already names the field; keep the rest of the API-server style text ("Invalid value: ...").
            errors.AddRange(result.Errors.Select(e => obj.ErrorAt(e.Field, e.ToString()[(e.Field.Length + 2)..]).ToString()));
        }

        if (errors.Count > 0)
        {
            throw new UserErrorException(string.Join(Environment.NewLine, errors));
        }

        Console.Out.WriteLine($"{checkedCount} object(s) valid");
        return 0;
    }
}
