using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>Driver version formats the DOCA/MOFED images are tagged with (upstream's webhook rule).</summary>
public static partial class OfedVersion
{
    public const string Examples = "sha256:<64 hex digits>, doca3.1.0-25.07-0.9.7.0-0, 25.07-0.9.7.0, 24.10-0.7.0.0-0";

    // Upstream's webhook pattern, with Go's semantics spelled out for .NET: ASCII digits and word characters, and the
    // end of the text (not "before a final newline").
    [GeneratedRegex(@"^(sha256:[a-fA-F0-9]{64}|doca[0-9]+\.[0-9]+(\.[0-9]+)?-[0-9]+\.[0-9]+-[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+-[0-9]+(-[A-Za-z0-9_.\-]+)*|[0-9]+\.[0-9]+-[0-9]+(\.[0-9]+)*(-[0-9]+)?(-[A-Za-z0-9_.\-]+)*)\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string? version) => version is not null && Pattern().IsMatch(version);
}
