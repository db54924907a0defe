using System.Text.Json.Nodes;

namespace NetworkOperator.Chart.Tests.Infrastructure;

/// <summary>
/// A temporary copy of deploy/helm/network-operator that helm can render offline.
/// Helm 4 refuses `template`/`install` while any dependency declared in Chart.yaml is missing from charts/, even when
/// its condition is false, and the real dependency charts cannot be downloaded here. The copy therefore gets a stand-in
/// chart (same name and version) per dependency. A stand-in holds one CRD in crds/ (so the CRD hook's handling of
/// dependency CRDs can be checked) and, when enabled, renders one ConfigMap `standin-values-&lt;values key&gt;` holding the
/// values it received, so tests can check that the parent chart's values reach the dependency under upstream's key.
/// The checked-in chart itself is never modified.
/// </summary>
public static class ChartWorkspace
{
    private static readonly Lazy<string> Prepared = new(Prepare);

    public static string SourceDirectory => RepositoryRoot.Combine("deploy", "helm", "network-operator");

    /// <summary>The renderable copy.</summary>
    public static string Directory => Prepared.Value;

    /// <summary>The dependencies of Chart.yaml; Key is the alias when there is one (the values key and .Subcharts name).</summary>
    public static IReadOnlyList<(string Name, string Version, string Key)> Dependencies()
    {
        var chart = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(SourceDirectory, "Chart.yaml"))).Single();
        return (chart["dependencies"]?.AsArray() ?? [])
            .Select(d => (d!["name"]!.GetValue<string>(), d["version"]!.GetValue<string>(), d["alias"]?.GetValue<string>() ?? d["name"]!.GetValue<string>()))
            .ToList();
    }

    /// <summary>The name of the CRD a dependency's stand-in chart ships.</summary>
    public static string StandInCrdName(string key) => $"standins.{key}.example.com";

    public static IEnumerable<string> CiValuesFiles() =>
        System.IO.Directory.GetFiles(Path.Combine(SourceDirectory, "ci"), "*.yaml").Order(StringComparer.Ordinal);

    private static string Prepare()
    {
        var target = Path.Combine(Path.GetTempPath(), $"network-operator-chart-{Environment.ProcessId}-{Guid.NewGuid():N}");
        CopyDirectory(SourceDirectory, target);
        foreach (var (name, version, key) in Dependencies())
        {
            var dir = Path.Combine(target, "charts", key);
            if (System.IO.Directory.Exists(dir) || File.Exists(Path.Combine(target, "charts", $"{name}-{version}.tgz")))
            {
                continue;
            }

            System.IO.Directory.CreateDirectory(Path.Combine(dir, "crds"));
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "templates"));
            var chart = new JsonObject { ["apiVersion"] = "v2", ["name"] = name, ["version"] = version, ["description"] = "offline stand-in for tests" };
            File.WriteAllText(Path.Combine(dir, "Chart.yaml"), chart.ToJsonString());
            File.WriteAllText(Path.Combine(dir, "crds", "standins.yaml"), StandInCrd(key));
            File.WriteAllText(Path.Combine(dir, "templates", "values.yaml"), StandInValuesTemplate(key));
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

    private static string StandInCrd(string key)
    {
        var group = $"{key}.example.com";
        return $$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: {{StandInCrdName(key)}}
            spec:
              group: {{group}}
              names: {kind: StandIn, listKind: StandInList, plural: standins, singular: standin}
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}

            """;
    }

    private static string StandInValuesTemplate(string key) => $$$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: standin-values-{{{key}}}
          namespace: {{ .Release.Namespace }}
          labels:
            app.kubernetes.io/instance: {{ .Release.Name }}
            app.kubernetes.io/managed-by: {{ .Release.Service }}
        data:
          values.yaml: |
            {{- omit .Values "global" | toYaml | nindent 4 }}

        """;

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
