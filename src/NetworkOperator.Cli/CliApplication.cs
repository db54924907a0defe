using System.CommandLine;
using System.Reflection;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Cli;

/// <summary>
/// Builds a root command from every <see cref="ICliCommand"/> in one assembly, so adding a command is adding one file.
/// The operator binary and the tools executable are two such assemblies sharing the parsing and error rules.
/// </summary>
public static class CliApplication
{
    public const string ExecutableName = "network-operator";

    /// <summary>The operator binary: what the image runs.</summary>
    public static CliDefinition Operator { get; } = new(ExecutableName, typeof(CliApplication).Assembly,
        "NVIDIA Network Operator for Kubernetes, in .NET: deploys and keeps healthy the NIC drivers, " +
        "device plugins, secondary CNIs and IPAM that a NicClusterPolicy names.");

    public static RootCommand BuildRootCommand() => BuildRootCommand(Operator);

    public static RootCommand BuildRootCommand(CliDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var root = new RootCommand(definition.Description);
        var commands = definition.Commands.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Order)
            .ThenBy(c => c.GetType().Name, StringComparer.Ordinal);
        foreach (var command in commands)
        {
            root.Subcommands.Add(command.Build());
        }

        OptionRules.UseReadableParsers(root);
        return root;
    }

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Operator);

    public static async Task<int> RunAsync(string[] args, CliDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        try
        {
            var parseResult = BuildRootCommand(definition).Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                // One line per mistake, naming the option; the full usage is one --help away rather than printed here.
                foreach (var error in parseResult.Errors)
                {
                    await Console.Error.WriteLineAsync($"error: {PrintableText.Escape(error.Message, keepNewlines: true)}");
                }

                await Console.Error.WriteLineAsync($"run '{CommandPath(parseResult.CommandResult, definition.ExecutableName)} --help' for usage");
                return 1;
            }

            // The default handler would print UserErrorException with a stack trace before the catch below sees it.
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UserErrorException ex)
        {
            // A user's mistake is reported as a message, never as a stack trace.
            // Messages echo file names and field values; control characters and terminal escapes are shown, not obeyed.
            await Console.Error.WriteLineAsync($"error: {PrintableText.Escape(ex.Message, keepNewlines: true)}");
            return ex.ExitCode;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result, string executableName)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null && current.Command is not RootCommand; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(current.Command.Name);
        }

        names.Push(executableName);
        return string.Join(' ', names);
    }

    public static string Version =>
        typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliApplication).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
