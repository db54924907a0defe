using k8s.Models;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Object metadata as the API server checks it for custom resources: the name (or generateName prefix) is a DNS-1123
/// subdomain; label keys and values and annotation keys have Kubernetes syntax. Offline paths (validate, render) meet
/// no server, so the same rules run here.
/// </summary>
internal static class MetadataRules
{
    public static void Check(V1ObjectMeta? metadata, ValidationCollector collector)
    {
        var name = metadata?.Name;
        var generateName = metadata?.GenerateName;
        if (string.IsNullOrEmpty(name))
        {
            if (string.IsNullOrEmpty(generateName))
            {
                collector.Required("metadata.name", "name or generateName is required");
            }
            else if (KubernetesNames.Dns1123SubdomainProblem(generateName.TrimEnd('-') + "a") is { } prefixProblem)
            {
                collector.Invalid("metadata.generateName", generateName, prefixProblem);
            }
        }
        else if (KubernetesNames.Dns1123SubdomainProblem(name) is { } problem)
        {
            collector.Invalid("metadata.name", name, problem);
        }

        CheckLabels(metadata?.Labels, "metadata.labels", collector);
        CheckAnnotationKeys(metadata?.Annotations, "metadata.annotations", collector);
    }

    public static void CheckLabels(IDictionary<string, string>? labels, string path, ValidationCollector collector)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            var field = Serialization.FieldPath.Child(path, key);
            if (KubernetesNames.QualifiedNameProblem(key) is { } keyProblem)
            {
                collector.Invalid(field, key, "label key: " + keyProblem);
            }

            if (KubernetesNames.LabelValueProblem(value) is { } valueProblem)
            {
                collector.Invalid(field, value, valueProblem);
            }
        }
    }

    public static void CheckAnnotationKeys(IDictionary<string, string>? annotations, string path, ValidationCollector collector)
    {
        foreach (var key in annotations?.Keys ?? [])
        {
            if (KubernetesNames.QualifiedNameProblem(key.ToLowerInvariant()) is { } problem)
            {
                collector.Invalid(Serialization.FieldPath.Child(path, key), key, "annotation key: " + problem);
            }
        }
    }
}
