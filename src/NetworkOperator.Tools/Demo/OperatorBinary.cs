using System.CommandLine;
using System.Diagnostics;
using NetworkOperator.Cli;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// The operator the demo runs as its own process: the <c>network-operator</c> binary, by default the one built beside
/// this executable, or a given file (the published native binary, whose memory the headless demo reports).
/// </summary>
internal static class OperatorBinary
{
    public const string FileName = "network-operator";

    /// <summary>The <c>--operator-binary</c> option of the commands that run the operator.</summary>
    public static Option<string?> Option() => new("--operator-binary")
    {
        Description = "The network-operator executable to run (e.g. the published native binary); default: the one beside this executable.",
    };

    /// <summary>The option's value, refused with a one-line error when it names no file.</summary>
    public static string? Given(ParseResult parseResult, Option<string?> option)
    {
        var path = parseResult.GetValue(option);
        return path is null || File.Exists(path) ? path : throw new UserErrorException($"--operator-binary: file '{path}' does not exist");
    }

    public static ProcessStartInfo StartInfo(string? path)
    {
        if (path is not null)
        {
            return new ProcessStartInfo(Path.GetFullPath(path));
        }

        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the running executable");
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as `dotnet network-operator-tools.dll`: the operator's assembly was built into the same folder.
            var info = new ProcessStartInfo(self);
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, FileName + ".dll"));
            return info;
        }

        return new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, FileName));
    }
}
