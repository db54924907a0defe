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

        foreach (var (path, component, image, checkRepository) in Components(spec))
        {
            if (checkRepository)
            {
                PolicyRules.CheckImage(image, path, spec.Global, collector, checkVersion: component != "ofedDriver");
            }

            if (component.Length > 0)
            {
                PolicyRules.CheckContainerResources(image, path, component, collector);
            }
        }

        PolicyRules.CheckOfedDriver(spec.OfedDriver, spec.Global?.Version, collector);
        PolicyRules.CheckDevicePlugins(spec, collector);
        PolicyRules.CheckCommon(spec, collector);
        CheckIbKubernetes(spec.IBKubernetes, collector);
        CheckNicConfigurationOperator(spec.NicConfigurationOperator, collector);
        PolicyRules.CheckObjectName(spec.DocaTelemetryService?.Config?.FromConfigMap, "spec.docaTelemetryService.config.fromConfigMap", "ConfigMap", collector);
        CheckMultus(spec.SecondaryNetwork?.Multus, collector);
        SchedulingRules.CheckNodeAffinity(spec.NodeAffinity, "spec.nodeAffinity", collector);
        SchedulingRules.CheckNodeAffinity(spec.DeploymentNodeAffinity, "spec.deploymentNodeAffinity", collector);
        SchedulingRules.CheckTolerations(spec.Tolerations, "spec.tolerations", collector);
        SchedulingRules.CheckTolerations(spec.DeploymentTolerations, "spec.deploymentTolerations", collector);
        CheckDocaTelemetry(spec.DocaTelemetryService, collector);
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

    /// <summary>Every image-bearing component: path, container table key, spec, and whether the repository is checked.</summary>
    private static IEnumerable<(string Path, string Component, ImageSpec? Image, bool CheckRepository)> Components(NicClusterPolicySpec spec)
    {
        yield return ("spec.ofedDriver", "ofedDriver", spec.OfedDriver, true);
        yield return ("spec.rdmaSharedDevicePlugin", "rdmaSharedDevicePlugin", spec.RdmaSharedDevicePlugin, true);
        yield return ("spec.sriovDevicePlugin", "sriovDevicePlugin", spec.SriovDevicePlugin, true);
        yield return ("spec.ibKubernetes", "ibKubernetes", spec.IBKubernetes, true);
        yield return ("spec.nvIpam", "nvIpam", spec.NvIpam, true);
        yield return ("spec.nicFeatureDiscovery", "nicFeatureDiscovery", spec.NicFeatureDiscovery, true);
        yield return ("spec.docaTelemetryService", "docaTelemetryService", spec.DocaTelemetryService, true);
        yield return ("spec.secondaryNetwork.cniPlugins", "cniPlugins", spec.SecondaryNetwork?.CniPlugins, true);
        yield return ("spec.secondaryNetwork.ipoib", "ipoib", spec.SecondaryNetwork?.Ipoib, true);
        yield return ("spec.secondaryNetwork.multus", "multus", spec.SecondaryNetwork?.Multus, true);
        yield return ("spec.secondaryNetwork.ipamPlugin", "ipamPlugin", spec.SecondaryNetwork?.IpamPlugin, true);
        yield return ("spec.nicConfigurationOperator.operator", "nicConfigurationOperator", spec.NicConfigurationOperator?.Operator, true);
        yield return ("spec.nicConfigurationOperator.configurationDaemon", "nicConfigurationOperator", spec.NicConfigurationOperator?.ConfigurationDaemon, true);
        yield return ("spec.spectrumXOperator", "spectrumXOperator", spec.SpectrumXOperator, true);
        yield return ("spec.spectrumXOperator.xPlane", string.Empty, spec.SpectrumXOperator?.XPlane, true);
    }

    private static void CheckIbKubernetes(IBKubernetesSpec? ib, ValidationCollector collector)
    {
        if (ib is null)
        {
            return;
        }

        const string startField = "spec.ibKubernetes.pKeyGUIDPoolRangeStart";
        const string endField = "spec.ibKubernetes.pKeyGUIDPoolRangeEnd";
        const string format = "must be 8 colon-separated hexadecimal bytes, e.g. 02:00:00:00:00:00:00:00";
        var startValid = InfiniBandGuid.TryParse(ib.PKeyGuidPoolRangeStart, out var start);
        var endValid = InfiniBandGuid.TryParse(ib.PKeyGuidPoolRangeEnd, out var end);
        if (ib.PKeyGuidPoolRangeStart is not null && !startValid)
        {
            collector.Invalid(startField, ib.PKeyGuidPoolRangeStart, format);
        }

        if (ib.PKeyGuidPoolRangeEnd is not null && !endValid)
        {
            collector.Invalid(endField, ib.PKeyGuidPoolRangeEnd, format);
        }

        if (startValid && endValid && end <= start)
        {
            collector.Invalid(endField, ib.PKeyGuidPoolRangeEnd, "pKeyGUIDPoolRangeStart-pKeyGUIDPoolRangeEnd must be a valid range (end greater than start)");
        }

        const string secretField = "spec.ibKubernetes.ufmSecret";
        if (ib.UfmSecret is { Length: 0 })
        {
            // The schema's "required" lets an empty string through; ib-kubernetes cannot start without the Secret.
            collector.Required(secretField, "the Secret with the UFM address and credentials is required");
        }
        else
        {
            PolicyRules.CheckObjectName(ib.UfmSecret, secretField, "Secret", collector);
        }
    }

    private static void CheckNicConfigurationOperator(NicConfigurationOperatorSpec? spec, ValidationCollector collector)
    {
        if (spec is null)
        {
            return;
        }

        const string path = "spec.nicConfigurationOperator";
        if (spec.Operator is null)
        {
            collector.Required(path + ".operator", "the operator image is required when nicConfigurationOperator is set");
        }

        if (spec.ConfigurationDaemon is null)
        {
            collector.Required(path + ".configurationDaemon", "the configuration daemon image is required when nicConfigurationOperator is set");
        }

        PolicyRules.CheckEnv(spec.Env, path + ".env", collector);
    }

    private static void CheckMultus(MultusSpec? multus, ValidationCollector collector)
    {
        if (string.IsNullOrWhiteSpace(multus?.Config))
        {
            return;
        }

        // Mounted as Multus' configuration file; a parse error there stops every pod network on the node.
        CniJsonRules.CheckJsonObject(multus.Config, "spec.secondaryNetwork.multus.config", "config", collector);
    }

    private static void CheckDocaTelemetry(DocaTelemetryServiceSpec? doca, ValidationCollector collector)
    {
        if (doca?.Config is { } config && !KubernetesNames.IsDns1123Subdomain(config.FromConfigMap))
        {
            const string field = "spec.docaTelemetryService.config.fromConfigMap";
            if (string.IsNullOrEmpty(config.FromConfigMap))
            {
                collector.Required(field, "name of the ConfigMap holding the telemetry configuration is required when config is set");
            }
            else
            {
                collector.Invalid(field, config.FromConfigMap, "must be a valid ConfigMap name (DNS-1123 subdomain: lowercase letters, digits, '-' and '.')");
            }
        }
    }

    private static void CheckSectionConflicts(NicClusterPolicySpec spec, ValidationContext context, ValidationCollector collector)
    {
        var sections = PolicySections.DefinedIn(spec);
        foreach (var section in sections)
        {
            foreach (var nodePolicy in context.NodePolicies.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
            {
                if (PolicySections.DefinedIn(nodePolicy.Spec).Contains(section))
                {
                    collector.Forbidden(
                        FieldPath.Child("spec", section),
                        $"NicNodePolicy \"{nodePolicy.Metadata.Name}\" already defines {section}; NicClusterPolicy cannot also define it");
                }
            }
        }
    }
}
