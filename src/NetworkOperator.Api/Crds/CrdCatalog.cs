using System.Globalization;
using System.Text;
using k8s.Models;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Crds;

/// <summary>
/// The CRDs of every kind in <see cref="ResourceKinds.All"/>, generated from the C# types. The Helm chart ships the
/// checked-in copies under <see cref="ChartCrdDirectory"/>; a test keeps them equal to this output byte for byte.
/// </summary>
public static class CrdCatalog
{
    /// <summary>Repository-relative directory of the checked-in CRD files.</summary>
    public const string ChartCrdDirectory = "deploy/helm/network-operator/crds";

    /// <summary>
    /// Freshly generated on every call (cheap), so callers may modify them (e.g. set resourceVersion) safely and nested
    /// schema values keep their model types.
    /// </summary>
    public static IReadOnlyList<V1CustomResourceDefinition> All => ResourceKinds.All.Select(CrdGenerator.Generate).ToList();

    public static V1CustomResourceDefinition For(ResourceKind kind) => CrdGenerator.Generate(kind);

    /// <summary>File name in the chart, <c>&lt;group&gt;_&lt;plural&gt;.yaml</c> (the kubebuilder convention).</summary>
    public static string FileNameOf(V1CustomResourceDefinition crd) =>
        string.Create(CultureInfo.InvariantCulture, $"{crd.Spec.Group}_{crd.Spec.Names.Plural}.yaml");

    /// <summary>One CRD as a YAML document with a leading <c>---</c>, exactly the content of its chart file.</summary>
    public static string ToYaml(V1CustomResourceDefinition crd) => "---\n" + KubernetesObjectSerializer.ToYaml(crd);

    /// <summary>All CRDs as one YAML stream.</summary>
    public static string ToYamlStream()
    {
        var text = new StringBuilder();
        foreach (var crd in All)
        {
            text.Append(ToYaml(crd));
        }

        return text.ToString();
    }

    /// <summary>Writes one file per CRD; returns the paths written.</summary>
    public static IReadOnlyList<string> WriteFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var crd in All)
        {
            var path = Path.Combine(directory, FileNameOf(crd));
            File.WriteAllText(path, ToYaml(crd), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }

        return written;
    }
}
