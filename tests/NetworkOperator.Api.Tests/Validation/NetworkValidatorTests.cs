using NetworkOperator.Api.Validation;
using static NetworkOperator.Api.Validation.ValidationErrorType;

namespace NetworkOperator.Api.Tests.Validation;

public class NetworkValidatorTests
{
    private static string Macvlan(string spec) => $"apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {{name: m}}\nspec:\n{spec}";

    private static string HostDevice(string spec) => $"apiVersion: mellanox.com/v1alpha1\nkind: HostDeviceNetwork\nmetadata: {{name: h}}\nspec:\n{spec}";

    private static string IPoIB(string spec) => $"apiVersion: mellanox.com/v1alpha1\nkind: IPoIBNetwork\nmetadata: {{name: i}}\nspec:\n{spec}";

    public static TheoryData<string, string, string?, ValidationErrorType?> Cases => new()
    {
        // HostDeviceNetwork resource name (upstream's check) and namespace.
        { "plain resource name", HostDevice("  networkNamespace: default\n  resourceName: hostdev\n"), null, null },
        { "prefixed resource name", HostDevice("  networkNamespace: default\n  resourceName: nvidia.com/hostdev\n"), null, null },
        { "resource name with leading dash", HostDevice("  networkNamespace: default\n  resourceName: -hostdev\n"), "spec.resourceName", Invalid },
        { "empty resource name", HostDevice("  networkNamespace: default\n"), "spec.resourceName", Required },
        { "host device namespace defaults", HostDevice("  resourceName: hostdev\n"), null, null },
        { "host device namespace invalid", HostDevice("  networkNamespace: Tenant_A\n  resourceName: hostdev\n"), "spec.networkNamespace", Invalid },
        { "host device ipam not JSON", HostDevice("  networkNamespace: default\n  resourceName: hostdev\n  ipam: 'type: nv-ipam'\n"), "spec.ipam", Invalid },
        { "host device meta plugins", HostDevice("  networkNamespace: default\n  resourceName: hostdev\n  metaPlugins: '{\"type\":\"rdma\"}'\n"), null, null },
        { "host device meta plugins not objects", HostDevice("  networkNamespace: default\n  resourceName: hostdev\n  metaPlugins: '\"rdma\"'\n"), "spec.metaPlugins", Invalid },

        // MacvlanNetwork.
        { "macvlan defaults", Macvlan("  master: ens1\n"), null, null },
        { "macvlan full", Macvlan("  networkNamespace: tenant-a\n  master: ens1\n  mode: vepa\n  mtu: 9000\n  ipam: '{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/24\"}'\n  metaPlugins: '{\"type\":\"tuning\"}, {\"type\":\"sbr\"}'\n"), null, null },
        { "macvlan unknown mode", Macvlan("  mode: fast\n"), "spec.mode", NotSupported },
        { "macvlan negative mtu", Macvlan("  mtu: -1\n"), "spec.mtu", Invalid },
        { "macvlan tiny mtu", Macvlan("  mtu: 50\n"), "spec.mtu", Invalid },
        { "macvlan huge mtu", Macvlan("  mtu: 70000\n"), "spec.mtu", Invalid },
        { "macvlan namespace", Macvlan("  networkNamespace: default.svc\n"), "spec.networkNamespace", Invalid },
        { "macvlan ipam array", Macvlan("  ipam: '[]'\n"), "spec.ipam", Invalid },
        { "macvlan ipam type not a string", Macvlan("  ipam: '{\"type\": 1}'\n"), "spec.ipam", Invalid },
        { "macvlan empty ipam object", Macvlan("  ipam: '{}'\n"), null, null },
        { "macvlan meta plugins in brackets", Macvlan("  metaPlugins: '[{\"type\":\"tuning\"}]'\n"), "spec.metaPlugins", Invalid },
        { "macvlan meta plugin without type", Macvlan("  metaPlugins: '{\"type\":\"tuning\"},{\"mac\":\"x\"}'\n"), "spec.metaPlugins", Invalid },
        { "macvlan meta plugins trailing comma", Macvlan("  metaPlugins: '{\"type\":\"tuning\"},'\n"), "spec.metaPlugins", Invalid },

        // IPoIBNetwork.
        { "ipoib", IPoIB("  networkNamespace: default\n  master: ibs1\n  ipam: '{\"type\":\"nv-ipam\",\"poolName\":\"ib\"}'\n"), null, null },
        { "ipoib namespace", IPoIB("  networkNamespace: UPPER\n  master: ibs1\n"), "spec.networkNamespace", Invalid },
        { "ipoib ipam", IPoIB("  master: ibs1\n  ipam: '{\"type\":'\n"), "spec.ipam", Invalid },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Network_rule(string description, string yaml, string? field, ValidationErrorType? type)
    {
        Assert.NotEmpty(description);

        ValidationCase.AssertOutcome(yaml, field, type);
    }

    [Theory]
    [InlineData("  ipam: '{\"type\":\"my-ipam\"}'\n", "spec.ipam", "not a known IPAM plugin")]
    [InlineData("  ipam: '{\"range\":\"10.0.0.0/24\"}'\n", "spec.ipam", "has no \"type\"")]
    [InlineData("  mtu: 9500\n", "spec.mtu", "larger than common jumbo frames")]
    public void Soft_problems_are_warnings(string spec, string field, string message)
    {
        var result = ValidationCase.Run(Macvlan(spec));

        Assert.True(result.IsValid, result.ToString());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(field, warning.Field);
        Assert.Contains(message, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ib0")]
    [InlineData("ibs3f0")]
    [InlineData("ibp130s0f0")]
    [InlineData("ibo1")]
    [InlineData("ibP1p2s0")]
    public void Macvlan_on_an_InfiniBand_named_master_gets_a_warning(string master)
    {
        var result = ValidationCase.Run(Macvlan($"  master: {master}\n"));

        Assert.True(result.IsValid, result.ToString());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("spec.master", warning.Field);
        Assert.Contains($"\"{master}\" is named as an InfiniBand (IPoIB) interface", warning.Message, StringComparison.Ordinal);
        Assert.Contains("use an IPoIBNetwork", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("ens2f0")]
    [InlineData("enp3s0f0np0")]
    [InlineData("eno1")]
    [InlineData("enP2p1s0")]
    [InlineData("enx0c42a1b2c3d4")]
    public void IPoIB_on_an_Ethernet_named_master_gets_a_warning(string master)
    {
        var result = ValidationCase.Run(IPoIB($"  master: {master}\n"));

        Assert.True(result.IsValid, result.ToString());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("spec.master", warning.Field);
        Assert.Contains($"\"{master}\" is named as an Ethernet interface", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ens2f0", "ibs3f0")]
    [InlineData("bond0", "ib0")]
    [InlineData("ibond0", "mlx5_ib0")]
    [InlineData("data0", "enterprise0")]
    [InlineData("enx0c42", "ibx")]
    public void Masters_not_named_for_the_other_link_type_get_no_warning(string macvlanMaster, string ipoibMaster)
    {
        Assert.Empty(ValidationCase.Run(Macvlan($"  master: {macvlanMaster}\n")).Warnings);
        Assert.Empty(ValidationCase.Run(IPoIB($"  master: {ipoibMaster}\n")).Warnings);
    }

    [Fact]
    public void Numbers_are_printed_as_numbers_and_text_quoted_as_the_api_server_prints_them()
    {
        var result = ValidationCase.Run(Macvlan("  master: ens1\n  mode: fast\n  mtu: 70000\n"));

        Assert.Equal(
            [
                "spec.mode: Unsupported value: \"fast\": supported values: \"bridge\", \"private\", \"vepa\", \"passthru\"",
                "spec.mtu: Invalid value: 70000: must be 0 (use the master's MTU) or between 68 and 65535",
            ],
            result.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IPoIB_without_master_gets_a_warning()
    {
        var result = ValidationCase.Run(IPoIB("  networkNamespace: default\n"));

        Assert.True(result.IsValid);
        Assert.Equal("spec.master", Assert.Single(result.Warnings).Field);
    }

    [Theory]
    [InlineData("macvlannetwork-full.yaml")]
    [InlineData("hostdevicenetwork-full.yaml")]
    [InlineData("ipoibnetwork-full.yaml")]
    public void Full_examples_are_valid(string file)
    {
        var result = ValidationCase.Run(TestFiles.Read(file));

        Assert.True(result.IsValid, result.ToString());
    }
}
