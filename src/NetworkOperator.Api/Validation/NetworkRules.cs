using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Validation;

/// <summary>Checks shared by the three network kinds.</summary>
internal static class NetworkRules
{
    public static void CheckNamespace(string? networkNamespace, bool required, ValidationCollector collector)
    {
        const string field = "spec.networkNamespace";
        if (string.IsNullOrEmpty(networkNamespace))
        {
            if (required)
            {
                collector.Required(field, "the namespace of the NetworkAttachmentDefinition is required");
            }

            return;
        }

        if (!KubernetesNames.IsDns1123Label(networkNamespace))
        {
            collector.Invalid(field, networkNamespace, "must be a valid namespace name (DNS-1123 label: at most 63 lowercase letters, digits and '-')");
        }
    }

    public static void CheckIpam(string? ipam, ValidationCollector collector) => CniJsonRules.CheckIpam(ipam, FieldPath.Child("spec", "ipam"), collector);

    public static void CheckMetaPlugins(string? metaPlugins, ValidationCollector collector) =>
        CniJsonRules.CheckMetaPlugins(metaPlugins, FieldPath.Child("spec", "metaPlugins"), collector);
}
