using NetworkOperator.Api.Defaulting;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Defaulting;

public class DefaultsTests
{
    [Fact]
    public void Nic_cluster_policy_gets_the_crd_defaults_of_present_sections()
    {
        var policy = KubernetesObjectSerializer.FromYaml<NicClusterPolicy>("""
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ofedDriver:
                image: doca-driver
                upgradePolicy:
                  drain: {}
                  waitForCompletion: {}
              ibKubernetes: {image: ib-kubernetes}
              nvIpam: {image: nvidia-k8s-ipam}
              nicConfigurationOperator:
                operator: {image: op}
                configurationDaemon: {image: daemon}
                nicFirmwareStorage: {}
            """);

        var defaulted = Defaults.Apply(policy);

        var ofed = defaulted.Spec.OfedDriver!;
        Assert.Equal(300, ofed.TerminationGracePeriodSeconds);
        Assert.False(ofed.ForcePrecompiled);
        Assert.Empty(ofed.ImagePullSecrets!);
        Assert.False(ofed.UpgradePolicy!.AutoUpgrade);
        Assert.Equal(1, ofed.UpgradePolicy.MaxParallelUpgrades);
        Assert.False(ofed.UpgradePolicy.SafeLoad);
        Assert.Null(ofed.UpgradePolicy.MaxUnavailable);
        Assert.True(ofed.UpgradePolicy.Drain!.Enable);
        Assert.False(ofed.UpgradePolicy.Drain.Force);
        Assert.Equal(300, ofed.UpgradePolicy.Drain.TimeoutSeconds);
        Assert.False(ofed.UpgradePolicy.Drain.DeleteEmptyDir);
        Assert.Equal(0, ofed.UpgradePolicy.WaitForCompletion!.TimeoutSeconds);
        Assert.Equal(5, defaulted.Spec.IBKubernetes!.PeriodicUpdateSeconds);
        // No default, as upstream's schema: an absent enableWebhook stays absent (and means false).
        Assert.Null(defaulted.Spec.NvIpam!.EnableWebhook);
        var nicConfig = defaulted.Spec.NicConfigurationOperator!;
        Assert.Equal("info", nicConfig.LogLevel);
        Assert.Empty(nicConfig.Operator!.ImagePullSecrets!);
        Assert.True(nicConfig.NicFirmwareStorage!.Create);
        Assert.Equal("nic-fw-storage-pvc", nicConfig.NicFirmwareStorage.PvcName);
        Assert.Equal("1Gi", nicConfig.NicFirmwareStorage.AvailableStorageSize);
        Assert.Null(nicConfig.NicFirmwareStorage.StorageClassName);
    }

    [Fact]
    public void Absent_sections_stay_absent_and_the_input_is_not_modified()
    {
        var policy = new NicClusterPolicy { Spec = { OfedDriver = new OfedDriverSpec { Image = "doca-driver" } } };

        var defaulted = Defaults.Apply(policy);

        Assert.Null(defaulted.Spec.OfedDriver!.UpgradePolicy);
        Assert.Null(defaulted.Spec.RdmaSharedDevicePlugin);
        Assert.Null(policy.Spec.OfedDriver!.TerminationGracePeriodSeconds);
        Assert.Equal(300, defaulted.Spec.OfedDriver.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void Explicit_values_win_over_defaults()
    {
        var policy = new NicNodePolicy
        {
            Spec =
            {
                OfedDriver = new OfedDriverSpec
                {
                    Image = "doca-driver",
                    TerminationGracePeriodSeconds = 0,
                    UpgradePolicy = new DriverUpgradePolicySpec { MaxParallelUpgrades = 0, Drain = new DrainSpec { Enable = false } },
                },
            },
        };

        var defaulted = Defaults.Apply(policy);

        Assert.Equal(0, defaulted.Spec.OfedDriver!.TerminationGracePeriodSeconds);
        Assert.Equal(0, defaulted.Spec.OfedDriver.UpgradePolicy!.MaxParallelUpgrades);
        Assert.False(defaulted.Spec.OfedDriver.UpgradePolicy.Drain!.Enable);
    }

    [Fact]
    public void Network_kinds_have_no_schema_defaults()
    {
        var network = new MacvlanNetwork { Spec = { Master = "ens1" } };

        var defaulted = Defaults.Apply(network);

        Assert.Equal(KubernetesObjectSerializer.ToJson(network), KubernetesObjectSerializer.ToJson(defaulted));
    }
}
