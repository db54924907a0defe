using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Components;

public class ComponentCatalogTests
{
    [Fact]
    public void State_names_sections_and_condition_types_are_each_used_once()
    {
        var all = ComponentCatalog.ClusterPolicy;
        Assert.Equal(all.Count, all.Select(c => c.StateName).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Count, all.Select(c => c.Section).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Count, all.Select(c => c.ConditionType).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, c => Assert.Equal("spec." + c.Section, c.SectionPath.Replace("secondaryNetwork.", string.Empty, StringComparison.Ordinal)));
        Assert.All(all, c => Assert.NotEmpty(c.Containers));
        Assert.All(ComponentCatalog.NodePolicy, c => Assert.Contains(c, all));
    }

    [Fact]
    public void Only_per_policy_components_carry_ds_owner_and_its_value_names_the_policy()
    {
        Assert.Equal(Labels.DsOwnerClusterPolicy, ComponentCatalog.Ofed.DsOwner(NicClusterPolicy.KubeKind, ApiGroup.NicClusterPolicyName));
        Assert.Equal("nnp-gpu", ComponentCatalog.SriovDevicePlugin.DsOwner(NicNodePolicy.KubeKind, "gpu"));
        Assert.Null(ComponentCatalog.MultusCni.DsOwner(NicClusterPolicy.KubeKind, ApiGroup.NicClusterPolicyName));
        Assert.Null(ComponentCatalog.Ofed.DsOwner(MacvlanNetwork.KubeKind, "n"));
        Assert.Equal([StateNames.Ofed, StateNames.RdmaDevicePlugin, StateNames.SriovDevicePlugin],
            ComponentCatalog.ClusterPolicy.Where(c => c.DsOwner(NicClusterPolicy.KubeKind, ApiGroup.NicClusterPolicyName) is not null).Select(c => c.StateName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_section_is_found_in_the_policy_kinds_that_carry_it()
    {
        var cluster = new NicClusterPolicySpec { OfedDriver = new OfedDriverSpec(), SecondaryNetwork = new SecondaryNetworkSpec { Multus = new MultusSpec() } };
        var node = new NicNodePolicySpec { OfedDriver = new OfedDriverSpec(), SriovDevicePlugin = new DevicePluginSpec() };
        Assert.Equal([StateNames.MultusCni, StateNames.Ofed], ComponentCatalog.ClusterPolicy.Where(c => c.IsConfigured(cluster)).Select(c => c.StateName));
        Assert.Equal([StateNames.Ofed, StateNames.SriovDevicePlugin], ComponentCatalog.ClusterPolicy.Where(c => c.IsConfigured(node)).Select(c => c.StateName));
        Assert.Equal(["ofedDriver", "sriovDevicePlugin"], ComponentCatalog.DefinedPerPolicySections(node));
        Assert.Same(ComponentCatalog.NvIpamCni, ComponentCatalog.Find(StateNames.NvIpamCni));
        Assert.Null(ComponentCatalog.Find(StateNames.MacvlanNetwork));
    }

    [Fact]
    public void A_cni_binary_is_traced_to_the_one_component_that_installs_it()
    {
        var binaries = ComponentCatalog.ClusterPolicy.SelectMany(c => c.CniBinaries).ToList();
        Assert.Equal(binaries.Count, binaries.Distinct(StringComparer.Ordinal).Count());
        Assert.Same(ComponentCatalog.MultusCni, ComponentCatalog.InstallingCniBinary("multus-shim"));
        Assert.Same(ComponentCatalog.WhereaboutsCni, ComponentCatalog.InstallingCniBinary("whereabouts"));
        Assert.Same(ComponentCatalog.ContainerNetworkingPlugins, ComponentCatalog.InstallingCniBinary("macvlan"));
        Assert.Null(ComponentCatalog.InstallingCniBinary("sriov"));
        Assert.Empty(ComponentCatalog.Ofed.CniBinaries);
    }
}
