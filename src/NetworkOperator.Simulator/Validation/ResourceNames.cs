using NetworkOperator.Simulator.Admission.Quota;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// Resource names (the keys of resource lists) as the real server's core validation and its helper package judge them:
/// the general rule every resource list uses, the stricter rule for container and pod resources, and the name classes
/// (native, extended, overcommittable) other checks depend on.
/// </summary>
internal static class ResourceNames
{
    /// <summary>The unqualified names the system knows (helper.IsStandardResourceName, hugepages aside).</summary>
    private static readonly HashSet<string> StandardResources = new(StringComparer.Ordinal)
    {
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
        "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
        "configmaps", "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers",
    };

    /// <summary>
    /// Any resource list key: a qualified name, and when it has no domain one the system knows. A malformed name gets
    /// only its syntax errors.
    /// </summary>
    public static void ValidateResourceName(FieldErrors errors, string name, FieldPath path)
    {
        var messages = NameRules.QualifiedName(name);
        if (messages.Count > 0)
        {
            errors.AddMessages(path, name, messages);
            return;
        }

        if (IsUnqualified(name) && !IsStandardResourceName(name))
        {
            errors.Invalid(path, name, "must be a standard resource type or fully qualified");
        }
    }

    /// <summary>
    /// Container (and LimitRange Pod/Container) resource keys: the general rule, then, whatever it found, an
    /// unqualified name must be cpu, memory, ephemeral-storage or hugepages-*, and a name outside kubernetes.io must
    /// be a well-formed extended resource.
    /// </summary>
    public static void ValidateContainerResourceName(FieldErrors errors, string name, FieldPath path)
    {
        ValidateResourceName(errors, name, path);
        if (IsUnqualified(name))
        {
            if (!IsStandardContainerResourceName(name))
            {
                errors.Invalid(path, name, "must be a standard resource for containers");
            }
        }
        else if (!IsNativeResource(name) && !IsExtendedResourceName(name))
        {
            errors.Invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    public static bool IsStandardResourceName(string name) => StandardResources.Contains(name) || QuotaEvaluator.IsHugePagesQuotaName(name);

    public static bool IsStandardContainerResourceName(string name) =>
        name is "cpu" or "memory" or "ephemeral-storage" || IsHugePageResourceName(name);

    public static bool IsHugePageResourceName(string name) => name.StartsWith("hugepages-", StringComparison.Ordinal);

    /// <summary>Unqualified names, and names in a kubernetes.io domain, belong to the system.</summary>
    public static bool IsNativeResource(string name) => IsUnqualified(name) || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    public static bool IsExtendedResourceName(string name) => QuotaEvaluator.IsExtendedResourceName(name);

    /// <summary>Native resources but huge pages may be overcommitted; extended resources (devices) may not.</summary>
    public static bool IsOvercommitAllowed(string name) => IsNativeResource(name) && !IsHugePageResourceName(name);

    private static bool IsUnqualified(string name) => !name.Contains('/', StringComparison.Ordinal);
}
