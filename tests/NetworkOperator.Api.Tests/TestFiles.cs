namespace NetworkOperator.Api.Tests;

internal static class TestFiles
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>The repository root, found from the test binaries so tests can compare against checked-in files.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "NetworkOperator.slnx")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
