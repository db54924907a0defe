using System.CommandLine;
using NetworkOperator.Cli;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Tools.Commands;

/// <summary>
/// <c>bench-converge</c>: the install benchmark under its own name, the same run as
/// <c>demo --exit-when-ready --floor</c> (the operator from an empty cluster, then the floor: what <c>render</c> produces,
/// applied directly on a fresh cluster), printing both times, both write counts and their ratios.
/// </summary>
internal sealed class BenchConvergeCommand : ICliCommand
{
    public int Order => 850;

    public Command Build()
    {
        var nodeCount = new Option<int?>("--node-count") { Description = "Synthetic nodes over 10 driver pools (default 1,000).", }.AtLeast(1);
        var nodes = new Option<string?>("--nodes")
        {
            Description = "Node inventory (as `kubectl get nodes -o yaml` prints) instead of synthetic nodes; a number N where no such file exists means N synthetic nodes, as --node-count.",
        };
        var networks = new Option<int>("--networks") { Description = "MacvlanNetworks to create (0: none).", DefaultValueFactory = _ => 200 }.AtLeast(0);
        var steady = new Option<int>("--steady-seconds") { Description = "Watch this long after Ready and count writes and reads.", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var operatorBinary = OperatorBinary.Option();
        var command = new Command("bench-converge",
            "Benchmark the install: time and writes of the operator from an empty cluster against its floor (the rendered objects applied directly), "
            + "as `demo --exit-when-ready --floor`.")
        {
            nodeCount, nodes, networks, steady, operatorBinary,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var selection = NodeSelection.From(parseResult.GetValue(nodes), parseResult.GetValue(nodeCount));
            if (selection is { InventoryFile: null, Count: null })
            {
                selection = selection with { Count = 1000 };
            }

            return await DemoCommand.ConvergeAsync(selection, parseResult.GetValue(networks), parseResult.GetValue(steady),
                OperatorBinary.Given(parseResult, operatorBinary), cancellationToken);
        });
        return command;
    }
}
