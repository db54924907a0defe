namespace NetworkOperator.Rendering.Tests;

/// <summary>Paths in the source tree (examples and golden files live there, not in the build output).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    public static string Golden => Path.Combine(Root, "tests", "NetworkOperator.Rendering.Tests", "Golden");

    public static string Example(string name) => Path.Combine(Examples, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetworkOperator.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (NetworkOperator.slnx) not found above " + AppContext.BaseDirectory);
    }
}
