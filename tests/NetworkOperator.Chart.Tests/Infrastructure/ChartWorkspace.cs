using System.Text.Json.Nodes;

namespace NetworkOperator.Chart.Tests.Infrastructure;

/// <summary>
/// A temporary copy of deploy/helm/network-operator that helm can render offline.
/// Helm 4 refuses `template`/`install` while any dependency declared in Chart.yaml is missing from charts/, even when
/// its condition is false, and the real dependency charts cannot be downloaded here. The copy therefore gets an empty
/// stand-in chart (same name and version, no templates) per dependency; the tests render with the dependencies
/// disabled, so the stand-ins contribute nothing. The checked-in chart itself is never modified.
/// </summary>
public static class ChartWorkspace
{
    private static readonly Lazy<string> Prepared = new(Prepare);

    public static string SourceDirectory => RepositoryRoot.Combine("deploy", "helm", "network-operator");

    /// <summary>The renderable copy.</summary>
    public static string Directory => Prepared.Value;

    public static IReadOnlyList<(string Name, string Version)> Dependencies()
    {
        var chart = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(SourceDirectory, "Chart.yaml"))).Single();
        return (chart["dependencies"]?.AsArray() ?? [])
            .Select(d => (d!["name"]!.GetValue<string>(), d["version"]!.GetValue<string>()))
            .ToList();
    }

    public static IEnumerable<string> CiValuesFiles() =>
        System.IO.Directory.GetFiles(Path.Combine(SourceDirectory, "ci"), "*.yaml").Order(StringComparer.Ordinal);

    private static string Prepare()
    {
        var target = Path.Combine(Path.GetTempPath(), $"network-operator-chart-{Environment.ProcessId}-{Guid.NewGuid():N}");
        CopyDirectory(SourceDirectory, target);
        foreach (var (name, version) in Dependencies())
        {
            var dir = Path.Combine(target, "charts", name);
            if (System.IO.Directory.Exists(dir) || File.Exists(Path.Combine(target, "charts", $"{name}-{version}.tgz")))
            {
                continue;
            }

            System.IO.Directory.CreateDirectory(dir);
            var chart = new JsonObject { ["apiVersion"] = "v2", ["name"] = name, ["version"] = version, ["description"] = "offline stand-in for tests" };
            File.WriteAllText(Path.Combine(dir, "Chart.yaml"), chart.ToJsonString());
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(target, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder is harmless.
            }
        };
        return target;
    }

    private static void CopyDirectory(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var dir in System.IO.Directory.GetDirectories(source))
        {
            CopyDirectory(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }
}
