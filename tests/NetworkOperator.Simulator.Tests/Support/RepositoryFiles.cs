namespace NetworkOperator.Simulator.Tests.Support;

/// <summary>Checked-in files of the repository (such as the chart's CRDs), found from the test binaries.</summary>
public static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NetworkOperator.slnx")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static string ChartCrd(string fileName) =>
        Path.Combine(Root, "deploy", "helm", "network-operator", "crds", fileName);
}
