namespace NetworkOperator.Simulator.Discovery;

/// <summary>
/// The /version answer. Minor 32 matters: the kubectl dispatcher on this machine image runs the kubectl matching the
/// server's minor version, and 1.32 is the one that validates through OpenAPI v3.
/// </summary>
public static class VersionInfo
{
    public const string Major = "1";
    public const string Minor = "32";
    public const string GitVersion = "v1.32.4-sim";

    internal static string Json { get; } =
        $$"""{"major":"{{Major}}","minor":"{{Minor}}","gitVersion":"{{GitVersion}}","gitCommit":"0000000000000000000000000000000000000000","gitTreeState":"clean","buildDate":"2025-04-22T00:00:00Z","goVersion":"go1.23.8","compiler":"gc","platform":"linux/amd64"}""";
}
