using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Admission rules for NicClusterPolicy (upstream's webhook checks plus the CRD schema and a few of our own).</summary>
public static class NicClusterPolicyValidator
{
    public static ValidationResult Validate(NicClusterPolicy policy, ValidationContext? context = null)
    {
        context ??= ValidationContext.None;
        var collector = new ValidationCollector();
        var spec = policy.Spec;
        MetadataRules.Check(policy.Metadata, collector);
        SchemaRules.Check(spec, "spec", collector);
        PolicyRules.CheckGlobal(spec.Global, collector);

        if (policy.Metadata.Name is { } name && name != ApiGroup.NicClusterPolicyName)
        {
            collector.Warn("metadata.name", $"only the NicClusterPolicy named \"{ApiGroup.NicClusterPolicyName}\" is acted on; this one will be ignored");
        }

        foreach (var component in ComponentCatalog.ClusterPolicy)
        {
            PolicyRules.CheckComponentImages(component, spec, spec.Global, collector);
            if (component.IsConfigured(spec))
            {
                component.Check?.Invoke(spec, collector);
            }
        }

        SchedulingRules.CheckNodeAffinity(spec.NodeAffinity, "spec.nodeAffinity", collector);
        SchedulingRules.CheckNodeAffinity(spec.DeploymentNodeAffinity, "spec.deploymentNodeAffinity", collector);
        SchedulingRules.CheckTolerations(spec.Tolerations, "spec.tolerations", collector);
        SchedulingRules.CheckTolerations(spec.DeploymentTolerations, "spec.deploymentTolerations", collector);
        CheckSectionConflicts(spec, context, collector);
        return collector.ToResult();
    }

    /// <summary>
    /// <see cref="Validate"/> plus the CRD's immutability rules (CEL transition rules on the firmware storage), for
    /// servers that cannot evaluate CEL, such as the embedded simulator.
    /// </summary>
    public static ValidationResult ValidateUpdate(NicClusterPolicy oldPolicy, NicClusterPolicy newPolicy, ValidationContext? context = null)
    {
        var result = Validate(newPolicy, context);
        var oldStorage = oldPolicy.Spec.NicConfigurationOperator?.NicFirmwareStorage;
        var newStorage = newPolicy.Spec.NicConfigurationOperator?.NicFirmwareStorage;
        if (oldStorage is null || newStorage is null)
        {
            return result;
        }

        var errors = result.Errors.ToList();
        const string path = "spec.nicConfigurationOperator.nicFirmwareStorage";
        if (oldStorage.StorageClassName is not null && newStorage.StorageClassName is not null && oldStorage.StorageClassName != newStorage.StorageClassName)
        {
            errors.Add(new ValidationError(path + ".storageClassName", ValidationErrorType.Invalid,
                "storageClassName is immutable; delete and recreate nicFirmwareStorage to change it", newStorage.StorageClassName));
        }

        if (oldStorage.AvailableStorageSize is not null && newStorage.AvailableStorageSize is not null && oldStorage.AvailableStorageSize != newStorage.AvailableStorageSize)
        {
            errors.Add(new ValidationError(path + ".availableStorageSize", ValidationErrorType.Invalid,
                "availableStorageSize is immutable; delete and recreate nicFirmwareStorage to change it", newStorage.AvailableStorageSize));
        }

        return new ValidationResult(errors, result.Warnings);
    }

    private static void CheckSectionConflicts(NicClusterPolicySpec spec, ValidationContext context, ValidationCollector collector)
    {
        var sections = ComponentCatalog.DefinedPerPolicySections(spec);
        foreach (var section in sections)
        {
            foreach (var nodePolicy in context.NodePolicies.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
            {
                if (ComponentCatalog.DefinedPerPolicySections(nodePolicy.Spec).Contains(section))
                {
                    collector.Forbidden(
                        FieldPath.Child("spec", section),
                        $"NicNodePolicy \"{nodePolicy.Metadata.Name}\" already defines {section}; NicClusterPolicy cannot also define it");
                }
            }
        }
    }
}
