using System.CommandLine;

namespace NetworkOperator.Cli;

/// <summary>One sub-command of the executable. Implementations need a public parameterless constructor.</summary>
public interface ICliCommand
{
    /// <summary>Position in the help listing; lower comes first.</summary>
    int Order => 100;

    Command Build();
}
