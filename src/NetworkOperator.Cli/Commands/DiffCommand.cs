using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using NetworkOperator.Controllers.Preview;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Preview;
using NetworkOperator.Runtime.Client;
using Spectre.Console;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// <c>diff</c>: a live dry-run. Validates the files as admission would (with the cluster's nodes and stored policies as
/// context), renders them with the facts the operator would read from the cluster, and compares the result with the
/// live objects by the operator's own apply and stale-object rules. Only reads (GET/LIST) are sent.
/// Exit codes: 0 nothing would change, 2 something would change, 1 error.
/// </summary>
internal sealed class DiffCommand : ICliCommand
{
    public const int ChangesExitCode = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public int Order => 205;

    public Command Build()
    {
        var files = InputFileOption.Create(InputFileOption.PoliciesAndConfigMaps);
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "Kubeconfig to use instead of KUBECONFIG, the in-cluster service account or ~/.kube/config." };
        var ns = new Option<string>("--namespace", "-n") { Description = "Operator namespace (the operator's POD_NAMESPACE).", DefaultValueFactory = _ => ClusterFacts.DefaultOperatorNamespace };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        output.OneOf("table", "json");
        var all = new Option<bool>("--all") { Description = "List unchanged objects too (the table lists only what would change by default; -o json always lists every object)." };
        var initImage = new Option<string?>("--ofed-init-container-image")
        {
            Description = "OFED_INIT_CONTAINER_IMAGE to preview with; by default the one of the operator's Deployment in the namespace.",
        };

        var command = new Command("diff",
            "Preview what the operator would create, update or delete on the cluster for the given resources, without writing anything. " +
            "Exit code 0: no changes; 2: changes; 1: error.")
        {
            files, kubeconfig, ns, output, all, initImage,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files) ?? [];
            var operatorNamespace = parse.GetValue(ns) ?? ClusterFacts.DefaultOperatorNamespace;

            // File mistakes are reported before the cluster is contacted.
            ThrowOnErrors(RenderInput.Load(paths, null));
            using var client = new Kubernetes(RunCommand.Connect(parse.GetValue(kubeconfig)));
            var cluster = await ReadClusterAsync(client, operatorNamespace, cancellationToken);
            var input = RenderInput.Load(paths, null, cluster.ValidationContext);
            ThrowOnErrors(input);
            foreach (var warning in input.Warnings)
            {
                await Console.Error.WriteLineAsync("warning: " + warning);
            }

            if (input.Resources.Count == 0)
            {
                throw new UserErrorException("nothing to compare: the files hold no NicClusterPolicy, NicNodePolicy, MacvlanNetwork, HostDeviceNetwork or IPoIBNetwork");
            }

            if (input.Nodes.Count > 0)
            {
                await Console.Error.WriteLineAsync("warning: Nodes in the files are ignored; the cluster's nodes decide the driver pools");
            }

            await Console.Error.WriteLineAsync(cluster.OperatorDeployment is { } deployment
                ? $"operator settings from Deployment {deployment}"
                : $"no network-operator Deployment in namespace {operatorNamespace}: previewing with the operator's default settings");
            var facts = ChangePlanner.Facts(cluster, input.ConfigMapKeys, parse.GetValue(initImage));
            var plan = ChangePlanner.Plan(input.Resources, cluster, facts);
            if (parse.GetValue(output) == "json")
            {
                await Console.Out.WriteAsync(JsonSerializer.Serialize(ToJson(plan, cluster), Json) + "\n");
            }
            else
            {
                WriteTable(plan, cluster.Nodes.Count, parse.GetValue(all));
            }

            if (plan.RenderErrors.Count > 0)
            {
                throw new UserErrorException(string.Join("\nerror: ", plan.RenderErrors));
            }

            return plan.HasChanges ? ChangesExitCode : 0;
        });
        return command;
    }

    private static void ThrowOnErrors(RenderInput input)
    {
        if (input.Errors.Count > 0)
        {
            throw new UserErrorException(string.Join("\nerror: ", input.Errors.Select(e => e.ToString())));
        }
    }

    private static async Task<LiveCluster> ReadClusterAsync(Kubernetes client, string operatorNamespace, CancellationToken cancellationToken)
    {
        try
        {
            return await LiveCluster.ReadAsync(client, operatorNamespace, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new UserErrorException($"cannot reach the API server at {client.BaseUri}: {ex.Message}");
        }
        catch (Exception ex) when (ApiErrors.StatusOf(ex) is not null)
        {
            throw new UserErrorException($"reading the cluster failed: {ApiErrors.Describe(ex)}");
        }
    }

    private static object ToJson(ChangePlan plan, LiveCluster cluster) => new
    {
        hasChanges = plan.HasChanges,
        summary = Enum.GetValues<ChangeAction>().ToDictionary(a => JsonNamingPolicy.CamelCase.ConvertName(a.ToString()), plan.Count),
        nodes = cluster.Nodes.Count,
        operatorDeployment = cluster.OperatorDeployment,
        changes = plan.Changes,
        driverPools = plan.DriverPools,
        renderErrors = plan.RenderErrors,
    };

    private static void WriteTable(ChangePlan plan, int nodes, bool all)
    {
        // Borderless columns as kubectl prints them, never wrapped inside a cell.
        var console = UnwrappedConsole.Create();
        var shown = plan.Changes.Where(c => all || c.Action != ChangeAction.Unchanged).ToList();
        if (shown.Count > 0)
        {
            var table = Plain("ACTION", "KIND", "NAME", "SOURCE", "STATE", "NOTE");
            foreach (var change in shown)
            {
                table.AddRow(new Markup(Style(change.Action)), new Text(change.Kind), new Text(change.QualifiedName), new Text(change.Source),
                    new Text(change.State.Length == 0 ? "-" : change.State), new Text(change.Note ?? string.Empty));
            }

            console.Write(table);
        }

        if (plan.DriverPools.Count > 0)
        {
            var pools = Plain("DRIVER POOL (DaemonSet)", "SOURCE", "OS", "KERNEL", "ARCH", "NODES");
            foreach (var pool in plan.DriverPools)
            {
                pools.AddRow(pool.DaemonSet, pool.Source, pool.Os, pool.Kernel, pool.Arch, pool.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(pools);
        }

        var counts = Enum.GetValues<ChangeAction>().Where(a => plan.Count(a) > 0).Select(a => $"{plan.Count(a)} {Name(a)}");
        var hidden = plan.Count(ChangeAction.Unchanged) > 0 && !all ? "; --all lists the unchanged objects" : string.Empty;
        console.WriteLine($"{string.Join(", ", counts)} ({nodes} nodes in the cluster)" + (plan.HasChanges ? string.Empty : "; nothing to change") + hidden);
    }

    private static Table Plain(params string[] columns)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).NoWrap().PadLeft(0).PadRight(3));
        }

        return table;
    }

    private static string Name(ChangeAction action) => action switch
    {
        ChangeAction.OwnedElsewhere => "owned-elsewhere",
        ChangeAction.NotServed => "not-served",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static string Style(ChangeAction action) => action switch
    {
        ChangeAction.Create => "[green]create[/]",
        ChangeAction.Update => "[yellow]update[/]",
        ChangeAction.Delete => "[red]delete[/]",
        _ => Name(action),
    };
}
