using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// The section rules of single components, the hooks their descriptors name. Each runs only when its section is set,
/// for every policy kind that can carry the component.
/// </summary>
internal static class ComponentChecks
{
    public static void OfedDriver(INicPolicySpec spec, ValidationCollector collector)
    {
        // Only the NicClusterPolicy has a global version to fall back on.
        PolicyRules.CheckOfedDriver(spec.OfedDriver, (spec as NicClusterPolicySpec)?.Global?.Version, collector);
        PolicyRules.CheckCommon(spec, collector);
    }

    public static void RdmaSharedDevicePlugin(INicPolicySpec spec, ValidationCollector collector) =>
        PolicyRules.CheckDevicePluginConfig(spec.RdmaSharedDevicePlugin, "spec.rdmaSharedDevicePlugin.config", DevicePluginConfigSchemas.CheckRdma, collector);

    public static void SriovDevicePlugin(INicPolicySpec spec, ValidationCollector collector) =>
        PolicyRules.CheckDevicePluginConfig(spec.SriovDevicePlugin, "spec.sriovDevicePlugin.config", DevicePluginConfigSchemas.CheckSriov, collector);

    public static void IBKubernetes(INicPolicySpec spec, ValidationCollector collector)
    {
        if ((spec as NicClusterPolicySpec)?.IBKubernetes is not { } ib)
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

    public static void NicConfigurationOperator(INicPolicySpec spec, ValidationCollector collector)
    {
        if ((spec as NicClusterPolicySpec)?.NicConfigurationOperator is not { } nicConfiguration)
        {
            return;
        }

        const string path = "spec.nicConfigurationOperator";
        if (nicConfiguration.Operator is null)
        {
            collector.Required(path + ".operator", "the operator image is required when nicConfigurationOperator is set");
        }

        if (nicConfiguration.ConfigurationDaemon is null)
        {
            collector.Required(path + ".configurationDaemon", "the configuration daemon image is required when nicConfigurationOperator is set");
        }

        PolicyRules.CheckEnv(nicConfiguration.Env, path + ".env", collector);
    }

    public static void Multus(INicPolicySpec spec, ValidationCollector collector)
    {
        if ((spec as NicClusterPolicySpec)?.SecondaryNetwork?.Multus is not { } multus || string.IsNullOrWhiteSpace(multus.Config))
        {
            return;
        }

        // Mounted as Multus' configuration file; a parse error there stops every pod network on the node.
        CniJsonRules.CheckJsonObject(multus.Config, "spec.secondaryNetwork.multus.config", "config", collector);
    }

    public static void DocaTelemetryService(INicPolicySpec spec, ValidationCollector collector)
    {
        if ((spec as NicClusterPolicySpec)?.DocaTelemetryService is not { } doca)
        {
            return;
        }

        const string field = "spec.docaTelemetryService.config.fromConfigMap";
        PolicyRules.CheckObjectName(doca.Config?.FromConfigMap, field, "ConfigMap", collector);
        if (doca.Config is { } config && !KubernetesNames.IsDns1123Subdomain(config.FromConfigMap))
        {
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
}
