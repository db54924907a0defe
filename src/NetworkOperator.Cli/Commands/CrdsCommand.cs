using System.CommandLine;
using NetworkOperator.Api.Crds;

namespace NetworkOperator.Cli.Commands;

/// <summary>Prints or writes the CustomResourceDefinitions generated from the API types.</summary>
internal sealed class CrdsCommand : ICliCommand
{
    public int Order => 800;

    public Command Build()
    {
        var outputDir = new Option<DirectoryInfo?>("--output-dir")
        {
            Description = "Write one file per CRD (<group>_<plural>.yaml) into this directory instead of printing a YAML stream.",
        };
        var command = new Command("crds", "Print the CustomResourceDefinitions this operator serves (NicClusterPolicy, NicNodePolicy, " +
                                          "MacvlanNetwork, HostDeviceNetwork, IPoIBNetwork, NetworkAttachmentDefinition).")
        {
            outputDir,
        };

        command.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(outputDir);
            if (directory is null)
            {
                Console.Out.Write(CrdCatalog.ToYamlStream());
                return 0;
            }

            IReadOnlyList<string> written;
            try
            {
                written = CrdCatalog.WriteFiles(directory.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserErrorException($"cannot write CRDs to {directory.FullName}: {ex.Message}", ex);
            }

            foreach (var path in written)
            {
                Console.Out.WriteLine($"wrote {path}");
            }

            return 0;
        });
        return command;
    }
}
