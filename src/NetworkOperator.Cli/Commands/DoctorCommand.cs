using System.CommandLine;
using k8s;
using NetworkOperator.Cli.Doctor;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// <c>doctor</c>: explains what is not ready and why, ranked, with the fix, from GET and LIST requests only; with
/// <c>--bundle</c> it also writes a support bundle. Exit codes: 0 healthy, 1 not healthy, 2 the cluster could not be read.
/// </summary>
internal sealed class DoctorCommand : ICliCommand
{
    public const int NotHealthyExitCode = 1;
    public const int CannotCheckExitCode = 2;

    public int Order => 206;

    public Command Build()
    {
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "Kubeconfig to use instead of KUBECONFIG, the in-cluster service account or ~/.kube/config." };
        var ns = new Option<string>("--namespace", "-n") { Description = "Operator namespace (the operator's POD_NAMESPACE).", DefaultValueFactory = _ => ClusterFacts.DefaultOperatorNamespace };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        output.OneOf("text", "json");
        var bundle = new Option<FileInfo?>("--bundle") { Description = "Also write a support bundle (.tar.gz) to this file: resources, statuses, Events, node labels, logs, versions; never Secret data." };
        var command = new Command("doctor",
            "Explain what is not ready and why, ranked, with the fix (reads only). Exit code 0: healthy; 1: not healthy; 2: the cluster could not be read.")
        {
            kubeconfig, ns, output, bundle,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var operatorNamespace = parse.GetValue(ns) ?? ClusterFacts.DefaultOperatorNamespace;
            var bundlePath = parse.GetValue(bundle)?.FullName;
            if (bundlePath is not null && Path.GetDirectoryName(bundlePath) is { } dir && !Directory.Exists(dir))
            {
                throw new UserErrorException($"--bundle {bundlePath}: directory {dir} does not exist", CannotCheckExitCode);
            }

            using var client = new Kubernetes(RunCommand.Connect(parse.GetValue(kubeconfig)));
            var report = DoctorReport.Diagnose(await ReadAsync(client, operatorNamespace, cancellationToken));
            if (parse.GetValue(output) == "json")
            {
                await Console.Out.WriteAsync(report.ToJsonText());
            }
            else
            {
                report.Write(UnwrappedConsole.Create());
            }

            if (bundlePath is not null)
            {
                var notes = await SupportBundle.WriteAsync(client, report, bundlePath, TimeProvider.System.GetUtcNow(), cancellationToken);
                await Console.Error.WriteLineAsync($"support bundle written to {bundlePath} ({notes.Count} container logs unavailable)");
            }

            return report.Healthy ? 0 : NotHealthyExitCode;
        });
        return command;
    }

    private static async Task<ClusterSnapshot> ReadAsync(Kubernetes client, string operatorNamespace, CancellationToken cancellationToken)
    {
        try
        {
            return await ClusterSnapshot.ReadAsync(client, operatorNamespace, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new UserErrorException($"cannot reach the API server at {client.BaseUri}: {ex.Message}", CannotCheckExitCode);
        }
        catch (Exception ex) when (ApiErrors.StatusOf(ex) is not null)
        {
            throw new UserErrorException($"reading the cluster failed: {ApiErrors.Describe(ex)}", CannotCheckExitCode);
        }
    }
}
