using System.CommandLine;

namespace NetworkOperator.Cli.Commands;

internal sealed class VersionCommand : ICliCommand
{
    public int Order => 900;

    public Command Build()
    {
        var command = new Command("version", "Print the operator version.");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine($"{CliApplication.ExecutableName} {CliApplication.Version}");
            return 0;
        });
        return command;
    }
}
