using System.Reflection;

namespace NetworkOperator.Cli;

/// <summary>One executable's command line: its name in messages, the assembly its commands live in, its help text.</summary>
public sealed record CliDefinition(string ExecutableName, Assembly Commands, string Description);
