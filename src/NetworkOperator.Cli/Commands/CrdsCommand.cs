using System.CommandLine;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.Crds;
using NetworkOperator.Controllers.Startup;

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
        var apply = new Option<bool>("--apply")
        {
            Description = "Install or upgrade the CRDs in the cluster (the Helm pre-install/pre-upgrade hook runs this) and wait until they are established.",
        };
        var kubeconfig = new Option<FileInfo?>("--kubeconfig")
        {
            Description = "With --apply: kubeconfig to use instead of KUBECONFIG, the in-cluster service account or ~/.kube/config.",
        };
        var crdsDirs = new Option<DirectoryInfo[]>("--crds-dir")
        {
            Description = "With --apply: also apply the CustomResourceDefinitions in the YAML/JSON files of this directory (repeatable; the chart's hook passes the dependency charts' CRDs this way).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("crds", "Print the CustomResourceDefinitions this operator serves (NicClusterPolicy, NicNodePolicy, " +
                                          "MacvlanNetwork, HostDeviceNetwork, IPoIBNetwork, NetworkAttachmentDefinition).")
        {
            outputDir,
            apply,
            kubeconfig,
            crdsDirs,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(apply))
            {
                var extra = CrdFiles.Load(parseResult.GetValue(crdsDirs) ?? []);
                return await ApplyAsync(parseResult.GetValue(kubeconfig), extra, cancellationToken);
            }

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

    private static async Task<int> ApplyAsync(FileInfo? kubeconfig, IReadOnlyList<V1CustomResourceDefinition> extra, CancellationToken cancellationToken)
    {
        using var client = new Kubernetes(RunCommand.Connect(kubeconfig));
        using var loggerFactory = LoggerFactory.Create(new LogSettings(LogLevel.Information, Json: false).Configure);
        try
        {
            IReadOnlyList<V1CustomResourceDefinition> crds = [.. CrdCatalog.All, .. extra];
            var writes = await CrdInstaller.InstallAsync(client, crds, loggerFactory.CreateLogger("crds"), TimeProvider.System, cancellationToken);
            Console.Out.WriteLine($"{crds.Count} CRDs established ({writes} created or upgraded)");
            return 0;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            // Permissions, an unreachable API server or a CRD that never becomes established: say so plainly.
            var detail = ex is HttpOperationException http ? $"{http.Response.StatusCode}: {http.Response.Content}" : ex.Message;
            throw new UserErrorException($"applying CRDs failed: {detail}", ex);
        }
    }
}
