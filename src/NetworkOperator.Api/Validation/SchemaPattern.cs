using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Evaluates a CRD <c>pattern</c> the way the API server does (Go's RE2: <c>$</c> is the end of the text, <c>\d</c>
/// <c>\w</c> <c>\s</c> are ASCII). .NET's defaults differ on both — <c>$</c> also matches before a final newline and
/// <c>\d</c> matches any Unicode digit — so "abc\n" or Arabic-Indic digits would pass a pattern the server refuses.
/// </summary>
public static class SchemaPattern
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        var regex = Compiled.GetOrAdd(pattern, p => new Regex(Translate(p), RegexOptions.ECMAScript | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        return regex.IsMatch(text);
    }

    /// <summary>Rewrites every unescaped <c>$</c> outside a character class to <c>\z</c>; ECMAScript mode makes the classes ASCII.</summary>
    internal static string Translate(string pattern)
    {
        var builder = new StringBuilder(pattern.Length + 4);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                builder.Append(c).Append(pattern[++i]);
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else if (c == '$')
            {
                builder.Append("\\z");
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
