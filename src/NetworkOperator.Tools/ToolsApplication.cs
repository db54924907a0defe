using NetworkOperator.Cli;

namespace NetworkOperator.Tools;

/// <summary>The tools executable's command line: the commands of this assembly, parsed by the operator's rules.</summary>
public static class ToolsApplication
{
    public const string ExecutableName = "network-operator-tools";

    public static CliDefinition Definition { get; } = new(ExecutableName, typeof(ToolsApplication).Assembly,
        "Tools around the NVIDIA Network Operator for .NET: an embedded simulated cluster (sim), the operator running " +
        "on it (demo) and benchmarks (bench-*). The operator itself is the network-operator executable.");
}
