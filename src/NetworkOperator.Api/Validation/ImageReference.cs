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
    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    /// <summary>Longest repository name a registry accepts.</summary>
    public const int MaxNameLength = 255;

    [GeneratedRegex("^(?<name>" + Name + ")(?::(?<tag>" + Tag + "))?(?:@(?<digest>" + Digest + "))?\\z")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^" + PathComponent + "(?:/" + PathComponent + ")*\\z")]
    private static partial Regex ImageNamePattern();

    [GeneratedRegex("^" + Tag + "\\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^" + Digest + "\\z")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[a-f0-9]{64}\\z")]
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

    /// <summary>
    /// Why <paramref name="image"/> cannot be the image-name part of a reference (path components: lowercase letters,
    /// digits and single separators), or null when it can.
    /// </summary>
    public static string? ImageNameProblem(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "image name is empty";
        }

        if (ImageNamePattern().IsMatch(image))
        {
            return null;
        }

        return image.Any(char.IsAsciiLetterUpper) && ImageNamePattern().IsMatch(image.ToLowerInvariant())
            ? "image name must be lowercase"
            : "not a valid image name: lowercase letters and digits, separated by '.', '_', '__', '-' or '/' (e.g. doca-driver)";
    }

    /// <summary>Why <paramref name="version"/> is neither a tag nor a digest (<c>sha256:</c> and hex), or null.</summary>
    public static string? VersionProblem(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return "version is empty";
        }

        if (version.Contains(':', StringComparison.Ordinal))
        {
            return DigestPattern().IsMatch(version) ? null : "not a valid digest (expected e.g. sha256: followed by 64 hexadecimal digits)";
        }

        return TagPattern().IsMatch(version)
            ? null
            : "not a valid image tag: at most 128 ASCII letters, digits, '_', '.' and '-', not starting with '.' or '-'";
    }
}
