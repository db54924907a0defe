using System.Globalization;
using System.Text.RegularExpressions;

namespace NetworkOperator.Simulator.Admission.PodSecurity;

/// <summary>The Pod Security Standards, from least to most strict.</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>A level at a policy version (<c>latest</c> or <c>v1.N</c>), written as <c>restricted:latest</c>.</summary>
public readonly partial record struct PodSecurityLevelVersion(PodSecurityLevel Level, int? Minor)
{
    public static PodSecurityLevelVersion PrivilegedLatest { get; } = new(PodSecurityLevel.Privileged, null);

    /// <summary>Whether checks introduced at policy version 1.<paramref name="minor"/> apply at this version.</summary>
    public bool AtLeast(int minor) => Minor is not { } m || m >= minor;

    public override string ToString() =>
        $"{LevelName(Level)}:{(Minor is { } m ? "v1." + m.ToString(CultureInfo.InvariantCulture) : "latest")}";

    public static string LevelName(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Privileged => "privileged",
        PodSecurityLevel.Baseline => "baseline",
        _ => "restricted",
    };

    /// <summary>Parses a level label value; an unknown value is an error and evaluates as restricted, as the real plugin does.</summary>
    public static PodSecurityLevel? ParseLevel(string value) => value switch
    {
        "privileged" => PodSecurityLevel.Privileged,
        "baseline" => PodSecurityLevel.Baseline,
        "restricted" => PodSecurityLevel.Restricted,
        _ => null,
    };

    /// <summary><c>latest</c> → (true, null); <c>v1.N</c> → (true, N); anything else → false (evaluated as latest).</summary>
    public static (bool Valid, int? Minor) ParseVersion(string value)
    {
        if (value == "latest")
        {
            return (true, null);
        }

        var match = VersionPattern().Match(value);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? (true, minor)
            : (false, null);
    }

    [GeneratedRegex(@"^v1\.([0-9]|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
