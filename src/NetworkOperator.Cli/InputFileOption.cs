using System.CommandLine;

namespace NetworkOperator.Cli;

/// <summary>The <c>-f/--filename</c> option of the commands that read policy and network files, defined once.</summary>
internal static class InputFileOption
{
    public static Option<string[]> Create(string description)
    {
        var option = new Option<string[]>("--filename", "-f")
        {
            Description = description,
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };

        // "-f a.yaml b.yaml" takes both files, so an option this command does not have ("--kubeconfig" to validate,
        // say) would be read as one more file and reported as "file not found". Say what it is instead.
        option.Validators.Add(result =>
        {
            foreach (var value in result.Tokens.Select(t => t.Value))
            {
                if (value.Length > 1 && value[0] == '-' && !File.Exists(value))
                {
                    result.AddError($"'{value}' is not an option of this command, and -f takes file names ('-' for standard input)");
                }
            }
        });
        return option;
    }

    /// <summary>What render and diff accept: policies, networks and the ConfigMaps the driver section references.</summary>
    public const string PoliciesAndConfigMaps =
        "File with NicClusterPolicy, NicNodePolicy and network resources (several documents allowed; repeatable). " +
        "ConfigMaps referenced by ofedDriver.certConfig/repoConfig may be included.";
}
