using System.CommandLine;

namespace NetworkOperator.Cli;

/// <summary>The <c>-f/--filename</c> option of the commands that read policy and network files, defined once.</summary>
internal static class InputFileOption
{
    public static Option<string[]> Create(string description) => new("--filename", "-f")
    {
        Description = description,
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>What render and diff accept: policies, networks and the ConfigMaps the driver section references.</summary>
    public const string PoliciesAndConfigMaps =
        "File with NicClusterPolicy, NicNodePolicy and network resources (several documents allowed; repeatable). " +
        "ConfigMaps referenced by ofedDriver.certConfig/repoConfig may be included.";
}
