using System.Diagnostics;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// The operator the demo runs as its own process: the <c>network-operator</c> binary, by default the one built beside
/// this executable, or a given file (the published native binary, whose memory the headless demo reports).
/// </summary>
internal static class OperatorBinary
{
    public const string FileName = "network-operator";

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
