using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Container image reference syntax. The grammar is the one documented in the distribution project
/// (github.com/distribution/reference, reference.go / regexp.go): <c>[domain[:port]/]path-component{/path-component}
/// [:tag][@digest]</c>, path components lowercase. Written here as one anchored regular expression.
/// </summary>
public static partial class ImageReference
{
    private const string Alphanumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|[-]+)";
    private const string PathComponent = Alphanumeric + "(?:" + Separator + Alphanumeric + ")*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = "(?:" + DomainComponent + @"(?:\." + DomainComponent + @")*|\[[a-fA-F0-9:]+\])";
    private const string Domain = Host + "(?::[0-9]+)?";
    private const string Name = "(?:" + Domain + "/)?" + PathComponent + "(?:/" + PathComponent + ")*";
    private const string Tag = @"[\w][\w.-]{0,127}";
    private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    /// <summary>Longest repository name a registry accepts.</summary>
    public const int MaxNameLength = 255;

    [GeneratedRegex("^(?<name>" + Name + ")(?::(?<tag>" + Tag + "))?(?:@(?<digest>" + Digest + "))?$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex HexIdPattern();

    /// <summary>Whether the text is a valid reference in normalized form, as the upstream webhook requires of repositories.</summary>
    public static bool TryParse(string? text, out string reason)
    {
        if (string.IsNullOrEmpty(text))
        {
            reason = "repository is empty";
            return false;
        }

        if (HexIdPattern().IsMatch(text))
        {
            reason = "a 64-character hexadecimal string is an image ID, not a repository";
            return false;
        }

        var match = ReferencePattern().Match(text);
        if (!match.Success)
        {
            reason = text.Any(char.IsAsciiLetterUpper) && ReferencePattern().IsMatch(text.ToLowerInvariant())
                ? "repository path must be lowercase"
                : "not a valid image repository (expected e.g. nvcr.io/nvidia/mellanox)";
            return false;
        }

        if (match.Groups["name"].Value.Length > MaxNameLength)
        {
            reason = $"repository name must not be longer than {MaxNameLength} characters";
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
