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

        if (KubernetesNames.Dns1123LabelProblem(networkNamespace) is { } problem)
        {
            collector.Invalid(field, networkNamespace, "must be a valid namespace name: " + problem);
        }
    }

    /// <summary>The host interface the CNI plugin creates pod interfaces on; empty means the plugin's default route interface.</summary>
    public static void CheckMaster(string? master, ValidationCollector collector)
    {
        if (master is { Length: > 0 } && InterfaceNames.Problem(master) is { } problem)
        {
            collector.Invalid("spec.master", master, problem);
        }
    }

    public static void CheckIpam(string? ipam, ValidationCollector collector) => CniJsonRules.CheckIpam(ipam, FieldPath.Child("spec", "ipam"), collector);

    public static void CheckMetaPlugins(string? metaPlugins, ValidationCollector collector) =>
        CniJsonRules.CheckMetaPlugins(metaPlugins, FieldPath.Child("spec", "metaPlugins"), collector);
}
