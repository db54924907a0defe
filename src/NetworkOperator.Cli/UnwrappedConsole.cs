using System.Text;
using Spectre.Console;

namespace NetworkOperator.Cli;

/// <summary>
/// The console the table-printing commands (diff, doctor) write to: no cell or line is broken at 80 columns (what a pipe
/// gets), so a name or message can be copied and grepped whole; a table is only as wide as its content and a terminal
/// wraps a long line at its edge, whole. Lines lose the padding a table gives its last column: a row padded to the
/// longest message would otherwise wrap into screens of blank lines in a terminal and fill files with trailing spaces.
/// </summary>
internal static class UnwrappedConsole
{
    /// <summary>Wide enough that no cell is ever wrapped.</summary>
    private const int Width = 4096;

    public static IAnsiConsole Create() => Create(Console.Out, isTerminal: !Console.IsOutputRedirected);

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var output = new Output(new TrailingSpaceTrimmer(writer), isTerminal);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = output,
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        console.Profile.Width = Width;
        return console;
    }

    private sealed class Output(TextWriter writer, bool isTerminal) : IAnsiConsoleOutput
    {
        public TextWriter Writer { get; } = writer;

        public bool IsTerminal { get; } = isTerminal;

        public int Width => UnwrappedConsole.Width;

        public int Height => 24;

        public void SetEncoding(Encoding encoding)
        {
        }
    }

    /// <summary>Holds back spaces until something other than a line end follows them.</summary>
    private sealed class TrailingSpaceTrimmer(TextWriter inner) : TextWriter
    {
        private int _spaces;

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            switch (value)
            {
                case ' ':
                    _spaces++;
                    return;
                case '\n' or '\r':
                    _spaces = 0;
                    break;
                default:
                    if (_spaces > 0)
                    {
                        inner.Write(new string(' ', _spaces));
                        _spaces = 0;
                    }

                    break;
            }

            inner.Write(value);
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? string.Empty)
            {
                Write(c);
            }
        }

        public override void Flush()
        {
            inner.Flush();
        }
    }
}
