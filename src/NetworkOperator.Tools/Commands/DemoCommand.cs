using System.CommandLine;
using NetworkOperator.Cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Cluster.Nodes;
using NetworkOperator.Tools.Demo;
using Spectre.Console;

namespace NetworkOperator.Tools.Commands;

/// <summary>
/// <c>demo</c>: the embedded simulated cluster, the operator as a separate <c>run</c> process talking to it over HTTP
/// (offline precompiled-tag lister: nothing leaves 127.0.0.1), an example policy and MacvlanNetwork, live progress,
/// then a sample RDMA pod on the network. <c>--exit-when-ready</c> is the headless benchmark.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    private const string Namespace = "nvidia-network-operator";

    public int Order => 20;

    public Command Build()
    {
        var nodeCount = new Option<int?>("--node-count") { Description = "Generate this many nodes over 10 driver pools instead of the small 5-node inventory." }.AtLeast(1);
        var nodes = new Option<string?>("--nodes")
        {
            Description = "Node inventory (as `kubectl get nodes -o yaml` prints) to run on instead of the small 5-node one; a number N where no such file exists means N synthetic nodes, as --node-count.",
        };
        var networks = new Option<int>("--networks") { Description = "MacvlanNetworks to create (the sample workload attaches the first).", DefaultValueFactory = _ => 1 }.AtLeast(0);
        var exitWhenReady = new Option<bool>("--exit-when-ready") { Description = "Run headless; print time to Ready, API requests and writes, then exit." };
        var allComponents = new Option<bool>("--all-components") { Description = "Enable every component of the NicClusterPolicy (default with --node-count)." };
        var steady = new Option<int>("--steady-seconds") { Description = "With --exit-when-ready: also watch this long after Ready and count writes.", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var upgrade = new Option<bool>("--upgrade") { Description = "Once Ready, bump the driver version and follow the rolling driver upgrade node by node." };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "With --upgrade, run headless; print the upgrade's time, most nodes cordoned at once and API requests, then exit." };
        var maxParallel = new Option<int>("--max-parallel-upgrades") { Description = "The policy's upgradePolicy.maxParallelUpgrades (0 = unlimited).", DefaultValueFactory = _ => 2 }.AtLeast(0);
        var floor = new Option<bool>("--floor")
        {
            Description = "With --exit-when-ready: also time the same objects applied without the operator on a fresh cluster, and print both side by side. "
                + "With --upgrade --exit-when-done: also time one node upgraded alone on a fresh cluster, and print the upgrade against waves × that time.",
        };
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's folder (kubeconfig, operator log) after Ctrl+C and say where it is." };
        var operatorBinary = OperatorBinary.Option();
        var command = new Command("demo", "Run the operator on an embedded simulated cluster and watch it converge.")
        {
            keep, nodeCount, nodes, networks, exitWhenReady, allComponents, steady, upgrade, exitWhenDone, maxParallel, floor, operatorBinary,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (inventory, count) = NodeSelection.From(parseResult.GetValue(nodes), parseResult.GetValue(nodeCount));

            var operatorPath = OperatorBinary.Given(parseResult, operatorBinary);

            var networkCount = parseResult.GetValue(networks);
            if (parseResult.GetValue(floor) && !parseResult.GetValue(exitWhenReady) && !parseResult.GetValue(exitWhenDone))
            {
                throw new UserErrorException("--floor compares a headless run with its floor: add --exit-when-ready, or --upgrade --exit-when-done");
            }

            var upgradeRun = UpgradeOptions.From(parseResult.GetValue(upgrade), parseResult.GetValue(exitWhenDone),
                parseResult.GetValue(exitWhenReady), parseResult.GetValue(maxParallel));
            if (networkCount == 0 && !parseResult.GetValue(exitWhenReady) && !upgradeRun.Headless)
            {
                throw new UserErrorException("--networks 0: the interactive demo's sample workload attaches the first network; " +
                    "0 is for headless runs (--exit-when-ready, or --upgrade --exit-when-done)");
            }

            var options = new DemoRun(count, networkCount, parseResult.GetValue(allComponents) || count is not null,
                parseResult.GetValue(exitWhenReady) || upgradeRun.Headless, parseResult.GetValue(steady))
            {
                Upgrade = upgradeRun, NodesFile = inventory, Keep = parseResult.GetValue(keep), Floor = parseResult.GetValue(floor), OperatorPath = operatorPath,
            };
            return await options.RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The headless install measured against its floor (<c>demo --exit-when-ready --floor</c>), for
    /// <c>bench-converge</c>.
    /// </summary>
    internal static Task<int> ConvergeAsync(NodeSelection nodes, int networks, int steadySeconds, string? operatorPath, CancellationToken cancellationToken) =>
        new DemoRun(nodes.Count, networks, AllComponents: nodes.Count is not null, Headless: true, steadySeconds)
        {
            NodesFile = nodes.InventoryFile, Floor = true, OperatorPath = operatorPath,
        }.RunAsync(cancellationToken);

    private sealed record DemoRun(int? Nodes, int Networks, bool AllComponents, bool Headless, int SteadySeconds)
    {
        public UpgradeOptions Upgrade { get; init; } = UpgradeOptions.None;

        public string? NodesFile { get; init; }

        public bool Keep { get; init; }

        public bool Floor { get; init; }

        // What the operator run left for the floor run: its time, its writes and the node labels it ended with.
        private OperatorOutcome? _outcome;

        private sealed record OperatorOutcome(TimeSpan Time, long Writes, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NodeLabels,
            ClusterWork Work);

        // The fleet upgrade's report, kept for the upgrade floor; then, during the floor's own run, its one node's.
        private UpgradeReport? _fleetUpgrade;
        private UpgradeReport? _oneNodeUpgrade;
        private bool _oneNodeAlone;

        // The floor's run lets one node through at a time and times the first few; the fleet's run lets the policy's.
        private int PolicyMaxParallelUpgrades => _oneNodeAlone ? 1 : Upgrade.MaxParallelUpgrades;

        public string? OperatorPath { get; init; }

        /// <summary>Clock of the progress lines, the time to Ready and the polling delays.</summary>
        public TimeProvider Time { get; init; } = TimeProvider.System;

        private const string SampleName = "rdma-sample";

        private static readonly TimeSpan PlainReportInterval = TimeSpan.FromSeconds(5);

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            var work = Directory.CreateTempSubdirectory("network-operator-demo-");
            var exitCode = 1;
            try
            {
                if (Floor && Headless && !Upgrade.Enabled)
                {
                    await WarmUpSimulatorAsync(work, cancellationToken);
                }

                exitCode = await RunInAsync(work, cancellationToken);
                if (exitCode == 0 && Floor && _outcome is { } outcome)
                {
                    exitCode = await RunFloorAsync(outcome, cancellationToken);
                }

                if (exitCode == 0 && Floor && _fleetUpgrade is { } fleet)
                {
                    exitCode = await RunUpgradeFloorAsync(work, fleet, cancellationToken);
                }

                return exitCode;
            }
            finally
            {
                // A failed run keeps its operator log for the message that points at it.
                if (Keep || exitCode != 0)
                {
                    Console.Out.WriteLine($"kept the demo's folder: {work.FullName}");
                }
                else
                {
                    try
                    {
                        work.Delete(recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        private SimulatedClusterOptions ClusterOptions()
        {
            var clusterOptions = new SimulatedClusterOptions();
            if (Nodes is { } n)
            {
                clusterOptions.NodeCount = n;
                clusterOptions.SyntheticNodes = new SyntheticNodeOptions { Count = n, Pools = TenPools, CpuOnlyShare = 0.05 };
                clusterOptions.NodeHeartbeatInterval = TimeSpan.FromMinutes(5);
            }
            else if (NodesFile is not null)
            {
                clusterOptions.NodesFile = NodesFile;
            }
            else
            {
                clusterOptions.Nodes = DemoInventory.Nodes();
            }

            return clusterOptions;
        }

        private IReadOnlyList<JsonObject> NetworkManifests() =>
            [.. Enumerable.Range(0, Networks).Select(i => DemoManifests.Macvlan(i == 0 ? DemoManifests.NetworkName : $"macvlan-{i:D4}", i))];

        /// <summary>
        /// The floor always runs in a process whose simulator code the operator's run has already JIT-compiled. Without
        /// untimed runs at a small scale first, the operator's run alone would pay for compiling the simulator, which no
        /// real cluster charges an operator for: a floor run, then an operator run (its own, short-lived operator
        /// process), so the server paths only an operator takes (node patches, status writes, selective watches, Events)
        /// are compiled too; then the runtime's background compiles settle. After a floor-only warm-up, the operator's
        /// 1,000-node run still spent 7 s of the simulator's CPU compiling 5,900 methods (0.5 s in the floor's). The
        /// measured operator is a fresh process: its own JIT stays in its time.
        /// </summary>
        private async Task WarmUpSimulatorAsync(DirectoryInfo work, CancellationToken cancellationToken)
        {
            var started = Time.GetTimestamp();
            int nodes;
            await using (var cluster = await StartFloorClusterAsync(WarmUpClusterOptions(), cancellationToken))
            {
                nodes = cluster.NodeNames.Count;
                using var client = cluster.CreateClient();
                var labels = (await client.CoreV1.ListNodeAsync(labelSelector: $"{Labels.NicPresent}=true", cancellationToken: cancellationToken)).Items
                    .ToDictionary(node => node.Metadata.Name,
                        _ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal) { [Labels.MofedWait] = "false" },
                        StringComparer.Ordinal);
                await new FloorRun(Namespace).RunAsync(cluster, DemoManifests.Policy(AllComponents, Upgrade.MaxParallelUpgrades), NetworkManifests(),
                    labels, cancellationToken);
            }

            var floorDone = Time.GetTimestamp();
            var operatorReady = await WarmUpOperatorAsync(work.CreateSubdirectory("warm-up"), WarmUpClusterOptions(), cancellationToken);
            var operatorDone = Time.GetTimestamp();
            var settledMethods = await JitSettledAsync(cancellationToken);
            var notReady = operatorReady ? string.Empty : ", not ready";
            Console.Out.WriteLine(FormattableString.Invariant(
                $"simulator warm-up (untimed, {nodes} nodes): {Time.GetElapsedTime(started).TotalSeconds:F1} s (floor {Time.GetElapsedTime(started, floorDone).TotalSeconds:F1} s, operator {Time.GetElapsedTime(floorDone, operatorDone).TotalSeconds:F1} s{notReady}, JIT settling {Time.GetElapsedTime(operatorDone).TotalSeconds:F1} s: {settledMethods} methods)"));
        }

        // The runtime compiles a method's optimised code in the background once it has been called often enough, and
        // after the warm-up thousands of such compiles are still queued: waits until a second passes without one (at
        // most half a minute) so they are not charged to the next run. Returns how many methods were compiled meanwhile.
        private async Task<long> JitSettledAsync(CancellationToken cancellationToken)
        {
            var start = System.Runtime.JitInfo.GetCompiledMethodCount();
            var waiting = Time.GetTimestamp();
            var last = start;
            while (Time.GetElapsedTime(waiting) < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Time, cancellationToken);
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                if (now == last)
                {
                    break;
                }

                last = now;
            }

            return last - start;
        }

        private SimulatedClusterOptions WarmUpClusterOptions()
        {
            const int WarmUpNodes = 100;
            var options = ClusterOptions();
            if (Nodes is { } n && n > WarmUpNodes)
            {
                options.NodeCount = WarmUpNodes;
                options.SyntheticNodes!.Count = WarmUpNodes;
            }

            return options;
        }

        // The operator from an empty cluster to Ready, as the measured run does, then stopped; false if it did not get there.
        private async Task<bool> WarmUpOperatorAsync(DirectoryInfo work, SimulatedClusterOptions options, CancellationToken cancellationToken)
        {
            await using var cluster = await StartFloorClusterAsync(options, cancellationToken);
            using var client = cluster.CreateClient();
            var kubeconfig = await ChartOperatorIdentity.WriteKubeconfigAsync(cluster.Server, Namespace, Path.Combine(work.FullName, "operator-kubeconfig"));
            using var operatorProcess = StartOperator(kubeconfig, Path.Combine(work.FullName, "operator.log"));
            try
            {
                await ApplyAsync(client, DemoManifests.Policy(AllComponents, PolicyMaxParallelUpgrades), cancellationToken);
                foreach (var network in NetworkManifests())
                {
                    await ApplyAsync(client, network, cancellationToken);
                }

                var deadline = Time.GetTimestamp();
                while (!operatorProcess.HasExited && Time.GetElapsedTime(deadline) < TimeSpan.FromMinutes(3))
                {
                    if (await AllReadyAsync(client, cancellationToken))
                    {
                        return true;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250), Time, cancellationToken);
                }

                return false;
            }
            finally
            {
                StopOperator(operatorProcess);
            }
        }

        private static async Task<SimulatedCluster> StartFloorClusterAsync(SimulatedClusterOptions options, CancellationToken cancellationToken)
        {
            var cluster = await SimulatedCluster.StartAsync(options, cancellationToken);
            using var client = cluster.CreateClient();
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
            await CrdInstaller.InstallAsync(client, NullLogger.Instance, TimeProvider.System, cancellationToken);
            return cluster;
        }

        /// <summary>The floor on a fresh cluster of the same settings, then both runs side by side.</summary>
        private async Task<int> RunFloorAsync(OperatorOutcome outcome, CancellationToken cancellationToken)
        {
            Say("floor: the same objects applied without the operator, on a fresh simulated cluster...");
            await using var cluster = await StartFloorClusterAsync(ClusterOptions(), cancellationToken);
            var floor = await new FloorRun(Namespace).RunAsync(cluster, DemoManifests.Policy(AllComponents, Upgrade.MaxParallelUpgrades),
                NetworkManifests(), outcome.NodeLabels, cancellationToken);
            FloorReport.Print(Console.Out, floor, outcome.Time, outcome.Writes);
            Console.Out.WriteLine($"floor cluster work: {floor.Work.Describe()}");
            Console.Out.WriteLine($"operator run cluster work: {outcome.Work.Describe()}");
            return 0;
        }

        /// <summary>
        /// The upgrade's floor: the same demo on a fresh cluster of the same settings (same workload and budget), but with
        /// <c>maxParallelUpgrades: 1</c>, timing the first few nodes, each upgraded alone: the first from the version bump,
        /// each next from the previous one's completion, so the operator's reaction and every pass between steps count.
        /// </summary>
        private async Task<int> RunUpgradeFloorAsync(DirectoryInfo work, UpgradeReport fleet, CancellationToken cancellationToken)
        {
            Say("upgrade floor: nodes upgraded one at a time (maxParallelUpgrades 1) on a fresh simulated cluster with the same settings...");
            _oneNodeAlone = true;
            var exitCode = await RunInAsync(work.CreateSubdirectory("upgrade-floor"), cancellationToken);
            if (exitCode != 0 || _oneNodeUpgrade is not { NodeTimes.Count: > 0 } alone)
            {
                return exitCode == 0 ? 1 : exitCode;
            }

            new UpgradeFloorReport(UpgradeFloorReport.OneNodeOf(alone.NodeTimes), fleet.Nodes, Upgrade.MaxParallelUpgrades, fleet.Elapsed)
            {
                FleetCpu = fleet.Cpu,
            }.Print(Console.Out);
            return 0;
        }

        private async Task<int> RunInAsync(DirectoryInfo work, CancellationToken cancellationToken)
        {
            var clusterOptions = ClusterOptions();
            Say("starting the simulated cluster...");
            var clusterStarting = Time.GetTimestamp();
            await using var cluster = await SimulatedCluster.StartAsync(clusterOptions, cancellationToken);
            var clusterStartup = Time.GetElapsedTime(clusterStarting);
            var kubeconfig = Path.Combine(work.FullName, "kubeconfig");
            cluster.WriteKubeconfig(kubeconfig);
            using var client = cluster.CreateClient();
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
            await CrdInstaller.InstallAsync(client, NullLogger.Instance, Time, cancellationToken);

            // The operator runs as the chart's ServiceAccount under the chart's RBAC, as an installed operator does, so
            // the demo fails where a real cluster would refuse it; the admin kubeconfig stays the user's, for kubectl.
            var operatorKubeconfig = await ChartOperatorIdentity.WriteKubeconfigAsync(cluster.Server, Namespace,
                Path.Combine(work.FullName, "operator-kubeconfig"));

            var operatorLog = Path.Combine(work.FullName, "operator.log");
            using var operatorProcess = StartOperator(operatorKubeconfig, operatorLog);
            try
            {
                cluster.Server.Requests.Reset();
                var started = Time.GetTimestamp();
                var workAtStart = ClusterWork.Now(cluster);
                var operatorCpuAtStart = ClusterWork.CpuOf(operatorProcess);
                await ApplyAsync(client, DemoManifests.Policy(AllComponents, PolicyMaxParallelUpgrades), cancellationToken);
                foreach (var network in NetworkManifests())
                {
                    await ApplyAsync(client, network, cancellationToken);
                }

                var peak = new PeakWatcher(operatorProcess);
                var ready = Headless
                    ? await WaitReadyHeadlessAsync(client, cluster, started, operatorProcess, peak, cancellationToken)
                    : await WaitReadyLiveAsync(client, operatorProcess, peak, cancellationToken);
                var timeToReady = Time.GetElapsedTime(started);
                var clusterWork = ClusterWork.Now(cluster).Since(workAtStart);
                var operatorCpu = ClusterWork.CpuOf(operatorProcess) - operatorCpuAtStart;
                if (!ready)
                {
                    AnsiConsole.MarkupLine($"[red]the operator stopped before the policy became ready[/]; see {Markup.Escape(operatorLog)}");
                    return 1;
                }

                var requests = cluster.Server.Requests.Snapshot();
                var refused = Refused(cluster);
                if (Upgrade.Enabled)
                {
                    var workBeforeUpgrade = ClusterWork.Now(cluster);
                    var operatorCpuBeforeUpgrade = ClusterWork.CpuOf(operatorProcess);
                    var report = await new UpgradeDemo(client, cluster.Server.Requests, Namespace, Upgrade.MaxParallelUpgrades) { NodesAlone = _oneNodeAlone ? UpgradeFloorReport.NodesTimed : 0 }
                        .RunAsync(Upgrade.Headless, operatorProcess, cancellationToken);
                    var upgradeWork = ClusterWork.Now(cluster).Since(workBeforeUpgrade);
                    var upgradeOperatorCpu = ClusterWork.CpuOf(operatorProcess) - operatorCpuBeforeUpgrade;
                    if (report is null)
                    {
                        AnsiConsole.MarkupLine($"[red]the driver upgrade did not finish[/]; see {Markup.Escape(operatorLog)}");
                        return 1;
                    }

                    if (_oneNodeAlone)
                    {
                        _oneNodeUpgrade = report;
                        Console.Out.WriteLine(FormattableString.Invariant(
                            $"upgrade floor run: time to Ready {timeToReady.TotalSeconds:F1} s; nodes upgraded one at a time in {string.Join(", ", report.NodeTimes.Select(t => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s"));
                        return 0;
                    }

                    if (Upgrade.Headless)
                    {
                        _fleetUpgrade = report with { Cpu = upgradeOperatorCpu is { } cpu ? (upgradeWork.Cpu, cpu) : null };
                        Console.Out.WriteLine(FormattableString.Invariant($"time to Ready: {timeToReady.TotalSeconds:F1} s"));
                        report.Print(Console.Out);
                        Console.Out.WriteLine($"simulated cluster work during the upgrade: {upgradeWork.Describe()}");
                        if (upgradeOperatorCpu is { } upgradeCpu)
                        {
                            Console.Out.WriteLine(FormattableString.Invariant($"operator CPU during the upgrade: {upgradeCpu.TotalSeconds:F1} s"));
                        }

                        Console.Out.WriteLine(FormattableString.Invariant(
                            $"operator process peak working set (through the upgrade): {peak.PeakBytes() / (1024.0 * 1024.0):F1} MiB"));
                        return 0;
                    }

                    report.Print(Console.Out, detailed: false);
                }

                if (Headless)
                {
                    cluster.Server.Requests.Reset();
                    await Task.Delay(TimeSpan.FromSeconds(SteadySeconds), Time, cancellationToken);
                    var steady = cluster.Server.Requests.Snapshot();
                    refused += Refused(cluster);
                    var operatorWrites = WriteCounts.OperatorWrites(requests, UserCreates);
                    PrintBenchmark(timeToReady, requests, steady, operatorWrites, peak.PeakBytes(), cluster.NodeNames.Count);
                    PrintSimulator(clusterStartup);
                    Console.Out.WriteLine($"simulated cluster work until Ready: {clusterWork.Describe()}");
                    if (operatorCpu is { } cpu)
                    {
                        Console.Out.WriteLine(FormattableString.Invariant($"operator CPU until Ready: {cpu.TotalSeconds:F1} s"));
                    }

                    Console.Out.WriteLine(FormattableString.Invariant($"operator identity: {ChartOperatorIdentity.UserName(Namespace)}"));
                    Console.Out.WriteLine(FormattableString.Invariant($"operator requests refused by RBAC: {refused}"));
                    if (refused > 0)
                    {
                        // The chart's roles lack a permission the operator uses: on a real cluster this fails the same way.
                        Console.Out.WriteLine($"error: the API server refused {refused} of the operator's requests under the chart's RBAC; see {operatorLog}");
                        return 1;
                    }
                    if (Floor)
                    {
                        _outcome = new OperatorOutcome(timeToReady, operatorWrites, await OperatorLabelsAsync(client, cancellationToken), clusterWork);
                    }

                    var steadyWrites = steady.Where(r => WriteCounts.IsOperatorWrite(r.Key.Verb, r.Key.Resource)).Sum(r => r.Value);
                    if (steadyWrites > 0)
                    {
                        // Ready has to mean converged: anything still written afterwards was declared Ready too early.
                        Console.Out.WriteLine(FormattableString.Invariant(
                            $"error: the operator wrote {steadyWrites} times in the {SteadySeconds} s after it reported Ready; see {operatorLog}"));
                        return 1;
                    }

                    return 0;
                }

                await RunSampleWorkloadAsync(client, cancellationToken);
                Console.Out.WriteLine();
                Say($"kubeconfig:   {kubeconfig}");
                Say($"try:          KUBECONFIG={kubeconfig} kubectl get ncp,macvlannetworks,pods -A");
                Say($"operator log: {operatorLog}" + (Keep ? string.Empty : " (removed on exit; --keep keeps it)"));
                Say("edit the policy with kubectl and watch the operator react below; Ctrl+C stops everything.");
                try
                {
                    await FollowAsync(client, operatorProcess, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }

                return 0;
            }
            finally
            {
                StopOperator(operatorProcess);
            }
        }

        private static long Refused(SimulatedCluster cluster) =>
            cluster.Server.Requests.ForbiddenByUser().GetValueOrDefault(ChartOperatorIdentity.UserName(Namespace));

        private static void Say(string text)
        {
            if (Console.IsOutputRedirected)
            {
                Console.Out.WriteLine(text);
            }
            else
            {
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
            }
        }

        /// <summary>
        /// Until Ctrl+C: the whole status, re-read from the API server. A terminal gets a view redrawn in place; a pipe
        /// or log gets one plain line whenever something changed, and at most every 5 s while nothing did.
        /// </summary>
        private async Task FollowAsync(Kubernetes client, Process op, CancellationToken cancellationToken)
        {
            if (Console.IsOutputRedirected)
            {
                await PlainLinesAsync(client, () => op.HasExited, cancellationToken);
                return;
            }

            var first = await DemoStatus.ReadAsync(client, Namespace, WorkloadSelector, null, cancellationToken);
            await AnsiConsole.Live(first.Render()).StartAsync(async ctx =>
            {
                while (!op.HasExited)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), Time, cancellationToken);
                    ctx.UpdateTarget((await DemoStatus.ReadAsync(client, Namespace, WorkloadSelector, null, cancellationToken)).Render());
                    ctx.Refresh();
                }
            });
        }

        /// <summary>
        /// One line per change (or every 5 s without one) until <paramref name="stop"/> says so. The nodes' upgrade
        /// states come from a watch and every step it saw gets its line, so a small cluster upgrading between two polls
        /// still shows each node going through the upgrade.
        /// </summary>
        private async Task<DemoStatus> PlainLinesAsync(Kubernetes client, Func<bool> stop, CancellationToken cancellationToken,
            Func<Task<bool>>? until = null)
        {
            await using var nodes = await NodeStateWatch.StartAsync(client, cancellationToken);
            string? last = null;
            var lastPrinted = Time.GetTimestamp();
            void Print(DemoStatus status, bool evenIfSame)
            {
                var line = status.Line();
                if (line != last || (evenIfSame && Time.GetElapsedTime(lastPrinted) >= PlainReportInterval))
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Time.GetUtcNow():HH:mm:ss} {line}"));
                    last = line;
                    lastPrinted = Time.GetTimestamp();
                }
            }

            while (true)
            {
                // The watch's steps are taken before the read, so the picture the read is given is at least as new as the last step.
                var steps = nodes.TakeChanges();
                var status = await DemoStatus.ReadAsync(client, Namespace, WorkloadSelector, nodes.Current, cancellationToken);

                // Steps that only move counts between states already on screen are left to the next line, so a
                // thousand nodes upgrading print a line per state appearing or emptying, not one per node event.
                IEnumerable<string>? shown = null;
                foreach (var step in steps)
                {
                    if (shown is null || !step.UpgradeStates.Keys.SequenceEqual(shown))
                    {
                        Print(status.With(step), evenIfSame: false);
                        shown = step.UpgradeStates.Keys;
                    }
                }

                Print(status, evenIfSame: true);
                if (stop() || (until is not null && await until()))
                {
                    return status;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), Time, cancellationToken);
            }
        }

        private static string WorkloadSelector => $"app={SampleName}";

        // With the chart's probe and metrics endpoints (on a free loopback port), so Kestrel is in the measured
        // memory; log times to the microsecond, as the demo's runs are measured in fractions of a second.
        private Process StartOperator(string kubeconfig, string logPath)
        {
            var info = OperatorBinary.StartInfo(OperatorPath);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.UseShellExecute = false;
            foreach (var arg in new[]
                     {
                         "run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0",
                         "--zap-time-encoding", "rfc3339nano",
                     })
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["POD_NAMESPACE"] = Namespace;
            info.Environment["OFED_PRECOMPILED_TAG_LISTER"] = "offline";
            info.Environment["KUBECONFIG"] = kubeconfig;
            var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the operator process");
            var log = new StreamWriter(logPath) { AutoFlush = true };
            var gate = new Lock();
            process.OutputDataReceived += (_, e) => { lock (gate) { if (e.Data is not null) { log.WriteLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { lock (gate) { if (e.Data is not null) { log.WriteLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.Exited += (_, _) => { lock (gate) { log.Dispose(); } };
            process.EnableRaisingEvents = true;
            return process;
        }

        private static void StopOperator(Process process)
        {
            if (process.HasExited)
            {
                return;
            }

            // SIGTERM first so the operator drains and releases what it holds; kill only this process id if it hangs.
            Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit(5000);
            if (!process.WaitForExit(15000))
            {
                process.Kill();
            }
        }

        private static async Task ApplyAsync(Kubernetes client, JsonObject obj, CancellationToken cancellationToken)
        {
            var apiVersion = obj["apiVersion"]!.GetValue<string>();
            var kind = obj["kind"]!.GetValue<string>();
            var resource = ResourceKinds.Find(apiVersion, kind) ?? throw new InvalidOperationException($"{apiVersion} {kind} is not a kind of this project");
            await client.CustomObjects.CreateClusterCustomObjectAsync(obj, resource.Group, resource.Version, resource.Plural, cancellationToken: cancellationToken);
        }

        private static async Task<JsonObject?> PolicyAsync(Kubernetes client, CancellationToken cancellationToken)
        {
            var obj = await client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies",
                ApiGroup.NicClusterPolicyName, cancellationToken: cancellationToken);
            return JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject;
        }

        private async Task<bool> AllReadyAsync(Kubernetes client, CancellationToken cancellationToken)
        {
            var policy = await PolicyAsync(client, cancellationToken);
            if (policy?["status"]?["state"]?.GetValue<string>() != "ready")
            {
                return false;
            }

            var networks = await client.CustomObjects.ListClusterCustomObjectAsync("mellanox.com", "v1alpha1", "macvlannetworks", cancellationToken: cancellationToken);
            var items = (JsonNode.Parse(KubernetesJson.Serialize(networks)) as JsonObject)?["items"]?.AsArray() ?? [];
            return items.Count == Networks && items.All(i => i?["status"]?["state"]?.GetValue<string>() == "ready");
        }

        private async Task<bool> WaitReadyHeadlessAsync(Kubernetes client, SimulatedCluster cluster, long started, Process op, PeakWatcher peak,
            CancellationToken cancellationToken)
        {
            var lastProgress = Time.GetTimestamp();
            while (!op.HasExited)
            {
                peak.Sample();
                if (await AllReadyAsync(client, cancellationToken))
                {
                    return true;
                }

                if (Time.GetElapsedTime(lastProgress) >= PlainReportInterval)
                {
                    // A long headless run is never silent: one line at least every 5 s.
                    lastProgress = Time.GetTimestamp();
                    var writes = WriteCounts.OperatorWrites(cluster.Server.Requests.Snapshot(), UserCreates);
                    Console.Out.WriteLine(await HeadlessProgress.LineAsync(client, Time.GetElapsedTime(started), writes, cancellationToken));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), Time, cancellationToken);
            }

            return false;
        }

        // The demo's own creates, which are not the operator's writes.
        private Dictionary<string, long> UserCreates => new(StringComparer.Ordinal) { ["nicclusterpolicies"] = 1, ["macvlannetworks"] = Networks };

        /// <summary>Per node, the labels the operator writes, as it left them.</summary>
        private static async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> OperatorLabelsAsync(Kubernetes client,
            CancellationToken cancellationToken)
        {
            string[] keys = [Labels.MofedWait, Labels.NicConfigurationWait, Labels.UpgradeState];
            var nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items;
            return nodes.ToDictionary(n => n.Metadata.Name, n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>())
                .Where(l => keys.Contains(l.Key)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        }

        private async Task<bool> WaitReadyLiveAsync(Kubernetes client, Process op, PeakWatcher peak, CancellationToken cancellationToken)
        {
            var ready = false;
            if (Console.IsOutputRedirected)
            {
                await PlainLinesAsync(client, () => op.HasExited, cancellationToken, async () =>
                {
                    peak.Sample();
                    ready = await AllReadyAsync(client, cancellationToken);
                    return ready;
                });
                return ready;
            }

            await AnsiConsole.Live(new Markup("waiting for the operator...")).StartAsync(async ctx =>
            {
                while (!op.HasExited && !cancellationToken.IsCancellationRequested)
                {
                    peak.Sample();
                    ctx.UpdateTarget((await DemoStatus.ReadAsync(client, Namespace, WorkloadSelector, null, cancellationToken)).Render());
                    ctx.Refresh();
                    if (await AllReadyAsync(client, cancellationToken))
                    {
                        ready = true;
                        return;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), Time, cancellationToken);
                }
            });
            return ready;
        }

        /// <summary>
        /// The sample RDMA workload: a one-replica Deployment (a drain can evict it, so a driver upgrade started from
        /// kubectl completes) whose pod requests the shared RDMA device and attaches the first network.
        /// </summary>
        private static async Task RunSampleWorkloadAsync(Kubernetes client, CancellationToken cancellationToken)
        {
            var labels = new Dictionary<string, string> { ["app"] = SampleName };
            var rdma = new Dictionary<string, ResourceQuantity> { ["rdma/rdma_shared_device_a"] = new("1") };
            var deployment = new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = SampleName, NamespaceProperty = "default" },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Labels = labels,
                            Annotations = new Dictionary<string, string> { [Annotations.PodNetworks] = DemoManifests.NetworkName },
                        },
                        Spec = new V1PodSpec
                        {
                            Containers =
                            [
                                new V1Container
                                {
                                    Name = "app", Image = "mellanox/rping-test",
                                    Resources = new V1ResourceRequirements { Requests = rdma, Limits = rdma },
                                },
                            ],
                        },
                    },
                },
            };
            await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default", cancellationToken: cancellationToken);
            Say($"sample workload: Deployment {SampleName}, one pod requesting rdma/rdma_shared_device_a and attaching {DemoManifests.NetworkName}");
        }

        /// <summary>
        /// The simulated cluster's own cost, so a large run shows how much of the machine the simulator took beside the
        /// operator: its start-up (nodes created and registered) and this process's memory, which is the simulator's.
        /// </summary>
        private static void PrintSimulator(TimeSpan startup)
        {
            using var self = Process.GetCurrentProcess();
            Console.Out.WriteLine(FormattableString.Invariant($"simulated cluster start-up: {startup.TotalSeconds:F1} s"));
            Console.Out.WriteLine(FormattableString.Invariant(
                $"simulated cluster (demo process) peak working set: {self.PeakWorkingSet64 / (1024.0 * 1024.0):F1} MiB, managed heap now: {GC.GetTotalMemory(false) / (1024.0 * 1024.0):F1} MiB"));
        }

        private static void PrintBenchmark(TimeSpan timeToReady, IReadOnlyDictionary<(string Verb, string Resource), long> requests,
            IReadOnlyDictionary<(string Verb, string Resource), long> steady, long operatorWrites, long peakBytes, int nodes)
        {
            Console.Out.WriteLine(FormattableString.Invariant($"nodes: {nodes}"));
            Console.Out.WriteLine(FormattableString.Invariant($"time to Ready: {timeToReady.TotalSeconds:F1} s"));
            Console.Out.WriteLine("API requests until Ready (all clients) by verb:");
            foreach (var group in requests.GroupBy(r => r.Key.Verb).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.Out.WriteLine(FormattableString.Invariant($"  {group.Key,-16} {group.Sum(g => g.Value),8}"));
            }

            Console.Out.WriteLine(FormattableString.Invariant($"writes until Ready (all clients): {requests.Where(r => WriteCounts.IsWrite(r.Key.Verb)).Sum(r => r.Value)}"));
            Console.Out.WriteLine("writes until Ready to operator-managed resources:");
            foreach (var (key, value) in requests.Where(r => WriteCounts.IsOperatorWrite(r.Key.Verb, r.Key.Resource))
                .OrderBy(r => r.Key.Resource, StringComparer.Ordinal))
            {
                Console.Out.WriteLine(FormattableString.Invariant($"  {key.Verb,-8} {key.Resource,-40} {value,6}"));
            }

            Console.Out.WriteLine(FormattableString.Invariant($"operator writes until Ready (the demo's policy and network creates left out): {operatorWrites}"));
            var steadyWrites = steady.Where(r => WriteCounts.IsOperatorWrite(r.Key.Verb, r.Key.Resource)).Sum(r => r.Value);
            Console.Out.WriteLine(FormattableString.Invariant($"steady-state writes to operator-managed resources (after Ready): {steadyWrites}"));
            foreach (var (key, value) in steady.Where(r => WriteCounts.IsOperatorWrite(r.Key.Verb, r.Key.Resource))
                .OrderBy(r => r.Key.Resource, StringComparer.Ordinal))
            {
                Console.Out.WriteLine(FormattableString.Invariant($"  {key.Verb,-8} {key.Resource,-40} {value,6}"));
            }

            // The demo itself reads nothing in this window, so every read is a client's own (operator, simulated controllers).
            long Reads(string verb) => steady.Where(r => r.Key.Verb == verb).Sum(r => r.Value);
            Console.Out.WriteLine(FormattableString.Invariant(
                $"steady-state reads (after Ready, all clients): get {Reads("get")}, list {Reads("list")}, watch {Reads("watch")}"));
            Console.Out.WriteLine(FormattableString.Invariant($"operator process peak working set: {peakBytes / (1024.0 * 1024.0):F1} MiB"));
        }

        private static readonly IReadOnlyList<NodePool> TenPools =
        [
            .. Enumerable.Range(0, 4).Select(i => new NodePool("ubuntu", "22.04", $"5.15.0-{91 + i}-generic", "Ubuntu 22.04.4 LTS", "containerd://1.7.13")),
            .. Enumerable.Range(0, 3).Select(i => new NodePool("ubuntu", "24.04", $"6.8.0-{31 + i}-generic", "Ubuntu 24.04 LTS", "containerd://1.7.19")),
            .. Enumerable.Range(0, 3).Select(i => new NodePool("rhel", "9.4", $"5.14.0-427.{13 + i}.1.el9_4.x86_64", "Red Hat Enterprise Linux 9.4 (Plow)", "cri-o://1.29.1")),
        ];
    }

    /// <summary>Samples the operator process's working set; the OS peak counter is per process, so this is exact.</summary>
    private sealed class PeakWatcher(Process process)
    {
        private long _peak;

        public void Sample()
        {
            try
            {
                process.Refresh();
                _peak = Math.Max(_peak, Math.Max(process.PeakWorkingSet64, process.WorkingSet64));
            }
            catch (InvalidOperationException)
            {
            }
        }

        public long PeakBytes()
        {
            Sample();
            return _peak;
        }
    }
}
