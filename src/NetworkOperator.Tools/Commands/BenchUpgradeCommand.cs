using System.CommandLine;
using NetworkOperator.Cli;
using System.Globalization;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Tools.Benchmarks;

namespace NetworkOperator.Tools.Commands;

/// <summary>
/// <c>bench-upgrade</c>: runs the driver upgrade state machine over a synthetic in-memory cluster (default 1,000 nodes,
/// maxParallelUpgrades 50) and prints the decision time per pass; numbers only, no pass/fail.
/// </summary>
internal sealed class BenchUpgradeCommand : ICliCommand
{
    public int Order => 860;

    public Command Build()
    {
        var nodes = new Option<int>("--node-count") { Description = "Synthetic nodes.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var parallel = new Option<int>("--max-parallel-upgrades") { Description = "maxParallelUpgrades (0 = unlimited).", DefaultValueFactory = _ => 50 }.AtLeast(0);
        var rounds = new Option<int>("--rounds") { Description = "Upgrades to run back to back (the first warms up).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var oneStep = new Option<bool>("--one-step-per-pass")
        {
            Description = "Move each node one step per pass (upstream's flow) instead of chaining the steps the snapshot alone decides.",
        };
        var command = new Command("bench-upgrade",
            "Benchmark the driver upgrade decision function over a synthetic cluster (decision time per pass, API requests per node).")
        {
            nodes, parallel, rounds, oneStep,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(nodes);
            var p = parse.GetValue(parallel);
            var r = parse.GetValue(rounds);
            var run = new SyntheticUpgrade(n, new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = p, Drain = new DrainOptions() },
                parse.GetValue(oneStep));
            Console.Out.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            SyntheticUpgradeResult? last = null;
            for (var round = 1; round <= r; round++)
            {
                var result = last = run.Run();
                var times = result.DecisionTimes.Select(t => t.TotalMilliseconds).Order().ToList();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: {result.Nodes} nodes, maxParallelUpgrades {p}: {result.Passes} passes, {result.Actions} actions, " +
                    $"{result.Upgraded} upgraded, at most {result.MaxCordoned} cordoned; decision time per pass " +
                    $"mean {times.Average():F2} ms, p50 {times[times.Count / 2]:F2} ms, p99 {times[(int)(times.Count * 0.99)]:F2} ms, " +
                    $"max {times[^1]:F2} ms, total {times.Sum():F0} ms"));
            }

            // Every round upgrades the same nodes the same way; the last one's requests stand for all.
            var requests = last!.Requests;
            var upgraded = Math.Max(1, last.Upgraded);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"API requests per node upgraded (executor writes; drains apart): patch nodes {requests.NodePatches / (double)upgraded:F2}, " +
                $"delete pods {requests.DriverPodDeletes / (double)upgraded:F2}, create events {requests.EventCreates / (double)upgraded:F2}, " +
                $"total {requests.Total / (double)upgraded:F2}"));

            return 0;
        });
        return command;
    }
}
