using System.Text.Json;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// Reads CustomResourceDefinitions from the YAML or JSON files of directories (top level only, sorted by name).
/// Entries whose names start with "." are skipped: a mounted ConfigMap keeps its data in hidden "..data" folders and
/// exposes each key as a link at the top.
/// </summary>
internal static class CrdFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<V1CustomResourceDefinition> Load(IEnumerable<DirectoryInfo> directories)
    {
        var crds = new List<V1CustomResourceDefinition>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            string[] files;
            try
            {
                files = Directory.GetFiles(directory.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserErrorException($"--crds-dir {directory.FullName}: {ex.Message}", ex);
            }

            foreach (var file in files.Where(IsCrdFile).Order(StringComparer.Ordinal))
            {
                foreach (var crd in Read(file))
                {
                    if (seen.TryGetValue(crd.Metadata.Name, out var first))
                    {
                        throw new UserErrorException($"{file}: CustomResourceDefinition {crd.Metadata.Name} is also defined in {first}");
                    }

                    seen[crd.Metadata.Name] = file;
                    crds.Add(crd);
                }
            }
        }

        return crds;
    }

    private static bool IsCrdFile(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.') && Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<V1CustomResourceDefinition> Read(string file)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlJson.ParseDocuments(File.ReadAllText(file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"{file}: {ex.Message}", ex);
        }
        catch (YamlSyntaxException ex)
        {
            throw new UserErrorException($"{file}: {ex.Message}", ex);
        }

        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            var kind = document.Root["kind"]?.GetValueKind() == JsonValueKind.String ? document.Root["kind"]!.GetValue<string>() : null;
            if (kind != "CustomResourceDefinition")
            {
                throw new UserErrorException($"{file}, document {document.Index + 1}: kind is {kind ?? "missing"}, expected CustomResourceDefinition");
            }

            V1CustomResourceDefinition? crd;
            try
            {
                crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(document.Root.ToJsonString());
            }
            catch (JsonException ex)
            {
                throw new UserErrorException($"{file}, document {document.Index + 1}: not a valid CustomResourceDefinition: {ex.Message}", ex);
            }

            if (string.IsNullOrEmpty(crd?.Metadata?.Name) || crd.Spec?.Names is null || crd.Spec.Versions is null)
            {
                throw new UserErrorException($"{file}, document {document.Index + 1}: a CustomResourceDefinition needs metadata.name, spec.names and spec.versions");
            }

            yield return crd;
        }
    }
}
