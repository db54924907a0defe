using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Rules for HostDeviceNetwork: upstream's resource-name check plus namespace and CNI JSON checks.</summary>
public static class HostDeviceNetworkValidator
{
    public static ValidationResult Validate(HostDeviceNetwork network)
    {
        var collector = new ValidationCollector();
        var spec = network.Spec;
        MetadataRules.Check(network.Metadata, collector);
        SchemaRules.Check(spec, "spec", collector);

        if (string.IsNullOrEmpty(spec.ResourceName))
        {
            collector.Required("spec.resourceName", "the device-plugin resource of the network is required");
        }
        else if (!KubernetesNames.IsResourceName(spec.ResourceName))
        {
            collector.Invalid("spec.resourceName", spec.ResourceName,
                "must be a resource name such as 'hostdev' or 'nvidia.com/hostdev': letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }

        // Upstream does not default this namespace; we default it to 'default' like the other network kinds.
        NetworkRules.CheckNamespace(spec.NetworkNamespace, required: false, collector);
        NetworkRules.CheckIpam(spec.Ipam, collector);
        NetworkRules.CheckMetaPlugins(spec.MetaPlugins, collector);
        return collector.ToResult();
    }
}
