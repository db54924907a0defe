using System.Globalization;
using System.Text;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Makes user-supplied text safe to print on a terminal or in one log line: control characters (C0, DEL, C1, so also
/// ESC and every terminal escape sequence), line and paragraph separators and bidirectional overrides are written as
/// visible escapes (<c>\e</c>, <c>\n</c>, <c>\u202e</c>). A name like <c>"\e[2Jx"</c> then shows as text instead of
/// clearing the screen.
/// </summary>
public static class PrintableText
{
    /// <summary>The text with every unsafe character escaped; <paramref name="keepNewlines"/> leaves '\n' as a line break.</summary>
    public static string Escape(string? text, bool keepNewlines = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        if (!text.Any(c => IsUnsafe(c) && !(keepNewlines && c == '\n')))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsUnsafe(c) || (keepNewlines && c == '\n'))
            {
                builder.Append(c);
                continue;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                '\x1b' => "\\e",
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }

        return builder.ToString();
    }

    /// <summary>Whether the text holds anything <see cref="Escape"/> would change.</summary>
    public static bool HasUnsafeCharacters(string? text) => text is not null && text.Any(IsUnsafe);

    private static bool IsUnsafe(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029'
        || c is >= '\u202a' and <= '\u202e'
        || c is >= '\u2066' and <= '\u2069'
        || c is '\u200e' or '\u200f' or '\u061c';
}
