using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Rules for IPoIBNetwork (ours; upstream has no webhook for it).</summary>
public static class IPoIBNetworkValidator
{
    public static ValidationResult Validate(IPoIBNetwork network)
    {
        var collector = new ValidationCollector();
        var spec = network.Spec;
        MetadataRules.Check(network.Metadata, collector);
        SchemaRules.Check(spec, "spec", collector);
        NetworkRules.CheckNamespace(spec.NetworkNamespace, required: false, collector);
        NetworkRules.CheckIpam(spec.Ipam, collector);
        NetworkRules.CheckMaster(spec.Master, collector);
        if (string.IsNullOrEmpty(spec.Master))
        {
            collector.Warn("spec.master", "no master interface: the IPoIB plugin needs the InfiniBand interface to create child interfaces on");
        }
        else if (InterfaceNames.LooksLikeEthernet(spec.Master))
        {
            collector.Warn("spec.master", $"\"{spec.Master}\" is named as an Ethernet interface: the IPoIB plugin creates IPoIB child interfaces "
                + "and needs an InfiniBand master (such as ib0 or ibs3f0); for Ethernet use a MacvlanNetwork or HostDeviceNetwork");
        }

        return collector.ToResult();
    }
}
