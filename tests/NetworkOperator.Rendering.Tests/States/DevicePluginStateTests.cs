using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.States;

namespace NetworkOperator.Rendering.Tests.States;

public class DevicePluginStateTests
{
    private static RenderResult Cluster<TState>(TState state, Action<NicClusterPolicySpec> configure, ClusterFacts? facts = null)
        where TState : IComponentState<NicClusterPolicy> => state.Render(Policies.Cluster(configure), facts ?? Policies.Facts());

    [Fact]
    public void Rdma_plugin_renders_configmap_and_daemonset_with_config_hash_and_wait_selector()
    {
        var result = Cluster(new RdmaSharedDevicePluginState(), s => s.RdmaSharedDevicePlugin = Policies.Rdma());

        Assert.Equal(["ConfigMap/rdma-devices", "DaemonSet/rdma-shared-dp-ds"], result.Names());
        Assert.Equal(Policies.RdmaConfig, result.Single<V1ConfigMap>().Data["config.json"]);
        var ds = result.Single<V1DaemonSet>();
        Assert.Equal("rdma-shared-dp", ds.Spec.Selector.MatchLabels["app"]);
        Assert.Equal(ConfigHash.Compute(Policies.RdmaConfig), ds.Spec.Template.Metadata.Annotations[Annotations.ConfigHash]);
        var pod = ds.Spec.Template.Spec;
        Assert.Equal("false", pod.NodeSelector[Labels.MofedWait]);
        Assert.Equal("true", pod.NodeSelector[Labels.NicPresent]);
        Assert.Null(pod.ServiceAccountName);
        Assert.Equal(["/bin/k8s-rdma-shared-dp"], pod.Containers[0].Command);
        Assert.Null(pod.Containers[0].Args);
        Assert.All(result.Objects, o => Assert.Equal(Labels.DsOwnerClusterPolicy, o.Metadata.Labels[Labels.DsOwner]));
    }

    [Fact]
    public void Config_hash_is_base64_sha256()
    {
        Assert.Equal("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", ConfigHash.Compute("abc"));
    }

    [Fact]
    public void Rdma_plugin_on_openshift_gets_its_service_account_and_scc_role_and_cdi_mounts()
    {
        var spec = Policies.Rdma();
        spec.UseCdi = true;
        var result = Cluster(new RdmaSharedDevicePluginState(), s => s.RdmaSharedDevicePlugin = spec, Policies.OpenShift());

        Assert.Equal(["ServiceAccount/rdma-shared", "Role/rdma-shared", "RoleBinding/rdma-shared", "ConfigMap/rdma-devices", "DaemonSet/rdma-shared-dp-ds"], result.Names());
        var role = result.Single<V1Role>();
        Assert.Equal(["privileged"], role.Rules[0].ResourceNames);
        Assert.Equal(["use"], role.Rules[0].Verbs);
        var pod = result.Single<V1DaemonSet>().Spec.Template.Spec;
        Assert.Equal("rdma-shared", pod.ServiceAccountName);
        Assert.Equal(["--use-cdi"], pod.Containers[0].Args);
        Assert.Contains(pod.Volumes, v => v.HostPath?.Path == "/var/run/cdi");
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("  ", "is required")]
    [InlineData("{\"configList\": [", "is not valid JSON")]
    public void Device_plugins_refuse_a_missing_or_invalid_config(string? config, string message)
    {
        var rdma = Assert.Throws<RenderException>(() => Cluster(new RdmaSharedDevicePluginState(), s => s.RdmaSharedDevicePlugin = Policies.Rdma(config)));
        Assert.Equal("spec.rdmaSharedDevicePlugin.config", rdma.FieldPath);
        Assert.Contains(message, rdma.Message, StringComparison.Ordinal);
        var sriov = Assert.Throws<RenderException>(() => Cluster(new SriovDevicePluginState(), s => s.SriovDevicePlugin = Policies.Sriov(config)));
        Assert.Equal("spec.sriovDevicePlugin.config", sriov.FieldPath);
    }

    [Fact]
    public void Configs_with_quotes_and_line_breaks_are_kept_verbatim()
    {
        const string config = "{\n  \"configList\": [{\"resourceName\": \"it's-a\", \"rdmaHcaMax\": 1, \"devices\": [\"ens1\"]}]\n}\n";
        var result = Cluster(new RdmaSharedDevicePluginState(), s => s.RdmaSharedDevicePlugin = Policies.Rdma(config));
        Assert.Equal(config, result.Single<V1ConfigMap>().Data["config.json"]);
    }

    [Fact]
    public void Sriov_plugin_uses_the_contract_names_labels_and_args()
    {
        var result = Cluster(new SriovDevicePluginState(), s => s.SriovDevicePlugin = Policies.Sriov());

        Assert.Equal(["ConfigMap/network-operator-sriovdp-config", "ServiceAccount/network-operator-sriov-device-plugin", "DaemonSet/network-operator-sriov-device-plugin"], result.Names());
        var ds = result.Single<V1DaemonSet>();
        Assert.Equal("node", ds.Metadata.Labels["tier"]);
        Assert.Equal("sriovdp", ds.Metadata.Labels["app"]);
        Assert.Equal("network-operator-sriov-device-plugin", ds.Spec.Selector.MatchLabels["name"]);
        var container = ds.Spec.Template.Spec.Container("kube-sriovdp");
        Assert.Equal(["--log-dir=sriovdp", "--log-level=10"], container.Args);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/etc/pcidp");
        Assert.Equal("false", ds.Spec.Template.Spec.NodeSelector[Labels.MofedWait]);
    }

    [Fact]
    public void Node_policies_get_the_documented_suffixes()
    {
        var policy = Policies.Node("pool-a", s =>
        {
            s.RdmaSharedDevicePlugin = Policies.Rdma();
            s.SriovDevicePlugin = Policies.Sriov();
            s.NodeSelector = new Dictionary<string, string> { ["role"] = "gpu" };
            s.Tolerations = [new V1Toleration { Key = "t", OperatorProperty = "Exists" }];
        });

        var rdma = ((IComponentState<NicNodePolicy>)new RdmaSharedDevicePluginState()).Render(policy, Policies.Facts());
        Assert.Equal(["ConfigMap/rdma-devices-pool-a", "DaemonSet/rdma-shared-dp-ds-779d97f8c7"], rdma.Names());
        var rdmaPod = rdma.Single<V1DaemonSet>().Spec.Template;
        Assert.Equal("rdma-shared-dp-pool-a", rdmaPod.Metadata.Labels["app"]);
        Assert.Equal("gpu", rdmaPod.Spec.NodeSelector["role"]);
        Assert.Equal(["t", "nvidia.com/gpu"], rdmaPod.Spec.Tolerations.Select(t => t.Key));

        var sriov = ((IComponentState<NicNodePolicy>)new SriovDevicePluginState()).Render(policy, Policies.Facts());
        Assert.Equal(["ConfigMap/network-operator-sriovdp-config-pool-a", "ServiceAccount/network-operator-sriov-device-plugin-779d97f8c7", "DaemonSet/network-operator-sriov-device-plugin-779d97f8c7"], sriov.Names());
        Assert.All(sriov.Objects.Concat(rdma.Objects), o => Assert.Equal("nnp-pool-a", o.Metadata.Labels[Labels.DsOwner]));
    }
}
