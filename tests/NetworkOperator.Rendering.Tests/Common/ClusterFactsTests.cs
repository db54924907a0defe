namespace NetworkOperator.Rendering.Tests.Common;

public class ClusterFactsTests
{
    [Fact]
    public void Defaults_depend_on_the_cluster_type()
    {
        var vanilla = new ClusterFacts();
        Assert.Equal("nvidia-network-operator", vanilla.OperatorNamespace);
        Assert.Equal("/opt/cni/bin", vanilla.CniBinDirectory);
        Assert.Equal("/etc/cni/net.d", vanilla.CniNetworkDirectory);
        Assert.True(vanilla.UseDriverToolkit);
        Assert.Null(vanilla.OfedInitContainerImage);
        Assert.Equal("/var/lib/cni/bin", (vanilla with { ClusterType = ClusterType.OpenShift }).CniBinDirectory);
    }

    [Fact]
    public void Environment_overrides_the_defaults()
    {
        var env = new Dictionary<string, string>
        {
            ["POD_NAMESPACE"] = "netop",
            ["CNI_BIN_DIR"] = "/custom/bin",
            ["CNI_NETWORK_DIR"] = "/custom/net.d",
            ["OFED_INIT_CONTAINER_IMAGE"] = "init:1",
            ["USE_DTK"] = "false",
        };
        var facts = ClusterFacts.FromEnvironment(k => env.GetValueOrDefault(k), ClusterType.OpenShift);
        Assert.Equal("netop", facts.OperatorNamespace);
        Assert.Equal("/custom/bin", facts.CniBinDirectory);
        Assert.Equal("/custom/net.d", facts.CniNetworkDirectory);
        Assert.Equal("init:1", facts.OfedInitContainerImage);
        Assert.False(facts.UseDriverToolkit);

        var empty = ClusterFacts.FromEnvironment(_ => null, ClusterType.OpenShift);
        Assert.Equal("/var/lib/cni/bin", empty.CniBinDirectory);
        Assert.True(empty.UseDriverToolkit);
    }
}
