using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Diagnostics;
using Spectre.Console;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// <c>demo --upgrade</c>: puts a workload under a PodDisruptionBudget, bumps the policy's driver version and follows
/// the operator's rolling driver upgrade node by node (live with Spectre.Console, or headless with a line every few
/// seconds) until every driver node is <c>upgrade-done</c> on the new version; then reports the elapsed time, the most
/// nodes cordoned at once and the API requests the upgrade cost.
/// </summary>
internal sealed class UpgradeDemo(Kubernetes client, RequestCounters requests, string operatorNamespace, int maxParallelUpgrades)
{
    public const string WorkloadName = "demo-workload";

    /// <summary>
    /// The floor's run when above 0: the policy allows one node at a time (the caller's policy says so) and the run
    /// stops when this many nodes are done, each upgraded alone. The workload and its budget stay the fleet's
    /// (<c>maxParallelUpgrades</c> given here).
    /// </summary>
    public int NodesAlone { get; init; }

    /// <summary>
    /// The workload budget's maxUnavailable: as many disruptions as nodes drained at once, so the budget is honoured
    /// without holding the upgrade below its own limit; 0 (unlimited) drains every driver node at once.
    /// </summary>
    internal static int DisruptionBudget(int maxParallelUpgrades, int driverNodes) =>
        maxParallelUpgrades > 0 ? maxParallelUpgrades : Math.Max(1, driverNodes);

    private static readonly TimeSpan HeadlessReportInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs the upgrade; null when the operator stopped or the upgrade got stuck on failed nodes.</summary>
    public async Task<UpgradeReport?> RunAsync(bool headless, Process operatorProcess, CancellationToken cancellationToken)
    {
        var nicNodes = (await client.CoreV1.ListNamespacedPodAsync(operatorNamespace, labelSelector: Api.Contract.Labels.OfedDriver,
            cancellationToken: cancellationToken)).Items.Select(p => p.Spec.NodeName).Distinct(StringComparer.Ordinal).Count();
        var replicas = Math.Max(2, nicNodes / 2);
        var budget = DisruptionBudget(maxParallelUpgrades, nicNodes);
        await CreateWorkloadAsync(replicas, budget, cancellationToken);
        Log(headless, $"workload {WorkloadName}: {replicas} pods under a PodDisruptionBudget (maxUnavailable {budget})");
        await WaitForWorkloadAsync(replicas, cancellationToken);

        await using var progress = await UpgradeProgress.StartAsync(client, operatorNamespace, DemoManifests.UpgradedDriverVersion, NodesAlone,
            cancellationToken);
        requests.Reset();
        var clock = Stopwatch.StartNew();
        var bumped = Stopwatch.GetTimestamp();
        await client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch(VersionPatch(DemoManifests.UpgradedDriverVersion), V1Patch.PatchType.MergePatch),
            "mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy", cancellationToken: cancellationToken);
        Log(headless, NodesAlone > 0
            ? $"driver {DemoManifests.DriverVersion} -> {DemoManifests.UpgradedDriverVersion}, maxParallelUpgrades 1: timing the first {Alone(progress)} nodes, one at a time"
            : $"driver {DemoManifests.DriverVersion} -> {DemoManifests.UpgradedDriverVersion} on {progress.DriverNodes.Count} nodes, " +
              $"maxParallelUpgrades {maxParallelUpgrades}");

        UpgradeView last;
        try
        {
            last = headless
                ? await FollowHeadlessAsync(progress, clock, operatorProcess, cancellationToken)
                : await FollowLiveAsync(progress, clock, operatorProcess, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log(headless, "interrupted during the upgrade");
            return null;
        }

        var elapsed = clock.Elapsed;
        if (!Finished(last))
        {
            var why = last.Stuck ? $"the upgrade failed on {string.Join(", ", last.Failed)}" : "the operator stopped during the upgrade";
            Log(headless, why);
            return null;
        }

        if (NodesAlone > 0)
        {
            // The nodes' own events time them (the poll that noticed may come up to its interval later): the first from
            // the bump, each next one from the one before, whose completion freed the only slot.
            var at = progress.UpgradedAt;
            return new UpgradeReport(last.Upgraded, elapsed, last.MaxCordoned, requests.Snapshot())
            {
                NodeTimes = [.. at.Select((t, i) => Stopwatch.GetElapsedTime(i == 0 ? bumped : at[i - 1], t))],
            };
        }

        return new UpgradeReport(last.Nodes, elapsed, last.MaxCordoned, requests.Snapshot());
    }

    private bool Finished(UpgradeView view) => view.Done || (NodesAlone > 0 && view.Upgraded >= NodesAlone);

    private int Alone(UpgradeProgress progress) => Math.Min(NodesAlone, progress.DriverNodes.Count);

    private async Task<UpgradeView> FollowHeadlessAsync(UpgradeProgress progress, Stopwatch clock, Process op, CancellationToken cancellationToken)
    {
        var nextReport = HeadlessReportInterval;
        while (true)
        {
            var view = progress.View();
            if (Finished(view) || view.Stuck || op.HasExited)
            {
                return view;
            }

            if (clock.Elapsed >= nextReport)
            {
                nextReport += HeadlessReportInterval;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {clock.Elapsed.TotalSeconds,6:F1} s: {view.Upgraded}/{view.Nodes} upgraded, {view.Cordoned.Count} cordoned, " +
                    $"{string.Join(", ", view.NodesByState.Select(p => $"{p.Key} {p.Value}"))}"));
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<UpgradeView> FollowLiveAsync(UpgradeProgress progress, Stopwatch clock, Process op, CancellationToken cancellationToken)
    {
        var view = progress.View();
        await AnsiConsole.Live(Render(view, clock.Elapsed)).StartAsync(async ctx =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                view = progress.View();
                ctx.UpdateTarget(Render(view, clock.Elapsed));
                ctx.Refresh();
                if (Finished(view) || view.Stuck || op.HasExited)
                {
                    return;
                }

                await Task.Delay(250, cancellationToken);
            }
        });
        return view;
    }

    private static Rows Render(UpgradeView view, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(string.Create(CultureInfo.InvariantCulture, $"driver upgrade: {view.Upgraded}/{view.Nodes} nodes on the new driver, {elapsed.TotalSeconds:F0} s"))
            .AddColumn("upgrade state").AddColumn(new TableColumn("nodes").RightAligned()).AddColumn(string.Empty);
        foreach (var (state, count) in view.NodesByState.OrderBy(p => StateOrder(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var bar = view.Nodes == 0 ? string.Empty : new string('#', Math.Max(1, count * 30 / view.Nodes)).PadRight(30, '.');
            table.AddRow(Colour(state), count.ToString(CultureInfo.InvariantCulture), $"[grey]{bar}[/]");
        }

        var cordoned = view.Cordoned.Count == 0 ? "none" : string.Join(", ", view.Cordoned.Take(12)) + (view.Cordoned.Count > 12 ? ", ..." : string.Empty);
        return new Rows(table, new Markup(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"cordoned now ({view.Cordoned.Count}): {cordoned}; most at once: {view.MaxCordoned}"))));
    }

    // The order a node goes through (the transition table in docs/driver-upgrade.md), so the table reads top to bottom as the upgrade proceeds.
    private static int StateOrder(string state) => state switch
    {
        "upgrade-required" => 0,
        "cordon-required" => 1,
        "wait-for-jobs-required" => 2,
        "pod-deletion-required" => 3,
        "drain-required" => 4,
        "pod-restart-required" => 5,
        "validation-required" => 6,
        "uncordon-required" => 7,
        "upgrade-done" => 8,
        "upgrade-failed" => 9,
        _ => -1,
    };

    private static string Colour(string state) => state switch
    {
        "upgrade-done" => "[green]upgrade-done[/]",
        "upgrade-failed" => "[red]upgrade-failed[/]",
        _ => $"[yellow]{Markup.Escape(state)}[/]",
    };

    private static void Log(bool headless, string text)
    {
        if (headless)
        {
            Console.Out.WriteLine(text);
        }
        else
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
        }
    }

    private static string VersionPatch(string version) => new JsonObject
    {
        ["spec"] = new JsonObject { ["ofedDriver"] = new JsonObject { ["version"] = version } },
    }.ToJsonString();

    private async Task CreateWorkloadAsync(int replicas, int maxUnavailable, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["app"] = WorkloadName };
        await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = WorkloadName, NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/demo-workload:1" }] },
                },
            },
        }, "default", cancellationToken: cancellationToken);
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = WorkloadName, NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = maxUnavailable, Selector = new V1LabelSelector { MatchLabels = labels } },
        }, "default", cancellationToken: cancellationToken);
    }

    private async Task WaitForWorkloadAsync(int replicas, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(WorkloadName, "default", cancellationToken: cancellationToken);
            if (deployment.Status?.AvailableReplicas >= replicas)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException($"the simulated cluster did not start {replicas} {WorkloadName} pods within 5 minutes");
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
