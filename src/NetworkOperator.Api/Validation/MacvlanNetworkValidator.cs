using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Rules for MacvlanNetwork (upstream has no webhook for it; all of these are ours).</summary>
public static class MacvlanNetworkValidator
{
    /// <summary>IPv4's minimum link MTU; the kernel refuses smaller values on an interface with an IPv4 address.</summary>
    public const int MinMtu = 68;

    /// <summary>Largest MTU a Linux netdevice can have.</summary>
    public const int MaxMtu = 65535;

    /// <summary>Above common jumbo-frame sizes, an MTU is more likely a typo than a plan.</summary>
    public const int JumboMtu = 9216;

    public static ValidationResult Validate(MacvlanNetwork network)
    {
        var collector = new ValidationCollector();
        var spec = network.Spec;
        MetadataRules.Check(network.Metadata, collector);
        SchemaRules.Check(spec, "spec", collector);
        NetworkRules.CheckNamespace(spec.NetworkNamespace, required: false, collector);
        NetworkRules.CheckIpam(spec.Ipam, collector);
        NetworkRules.CheckMaster(spec.Master, collector);
        if (InterfaceNames.LooksLikeInfiniBand(spec.Master))
        {
            collector.Warn("spec.master", $"\"{spec.Master}\" is named as an InfiniBand (IPoIB) interface, and macvlan cannot be created on one: "
                + "pods would fail with \"failed to create macvlan: invalid argument\"; for InfiniBand use an IPoIBNetwork");
        }

        NetworkRules.CheckMetaPlugins(spec.MetaPlugins, collector);

        if (spec.Mtu is { } mtu and > 0)
        {
            if (mtu is < MinMtu or > MaxMtu)
            {
                collector.Invalid("spec.mtu", mtu, $"must be 0 (use the master's MTU) or between {MinMtu} and {MaxMtu}");
            }
            else if (mtu > JumboMtu)
            {
                collector.Warn("spec.mtu", $"MTU {mtu} is larger than common jumbo frames ({JumboMtu}); macvlan cannot exceed the master interface's MTU");
            }
        }

        if (spec.Mode == "passthru" && spec.Mtu is > 0)
        {
            collector.Warn("spec.mtu", "in passthru mode the pod takes over the master interface; its MTU is the master's");
        }

        return collector.ToResult();
    }
}
