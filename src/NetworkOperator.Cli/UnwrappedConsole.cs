using Spectre.Console;

namespace NetworkOperator.Cli;

/// <summary>
/// The console the table-printing commands (diff, doctor) write to: no cell or line is broken at 80 columns (what a pipe
/// gets), so a name or message can be copied and grepped whole; a table is only as wide as its content and a terminal
/// wraps a long line at its edge, whole.
/// </summary>
internal static class UnwrappedConsole
{
    /// <summary>Wide enough that no cell is ever wrapped.</summary>
    private const int Width = 4096;

    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = Width;
        return console;
    }
}
