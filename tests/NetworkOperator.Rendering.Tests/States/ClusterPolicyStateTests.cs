using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.States;

namespace NetworkOperator.Rendering.Tests.States;

public class ClusterPolicyStateTests
{
    [Fact]
    public void States_are_discovered_in_contract_order()
    {
        // The contract: the sync order and appliedStates order users and alerts see.
        Assert.Equal(
            [
                StateNames.MultusCni, StateNames.ContainerNetworkingPlugins, StateNames.IPoIBCni, StateNames.WhereaboutsCni, StateNames.Ofed,
                StateNames.SriovDevicePlugin, StateNames.RdmaDevicePlugin, StateNames.IBKubernetes, StateNames.NvIpamCni,
                StateNames.NicFeatureDiscovery, StateNames.DocaTelemetryService, StateNames.NicConfigurationOperator, StateNames.SpectrumXOperator,
            ],
            ComponentStates.ClusterPolicy.Select(s => s.Name));
        Assert.Equal([StateNames.Ofed, StateNames.RdmaDevicePlugin, StateNames.SriovDevicePlugin], ComponentStates.NodePolicy.Select(s => s.Name));
    }

    [Fact]
    public void Repository_and_version_are_required_after_global_inheritance()
    {
        var state = new ContainerNetworkingPluginsState();
        var noRepo = Policies.Cluster(s => s.SecondaryNetwork = new SecondaryNetworkSpec { CniPlugins = new ImageSpec { Image = "plugins", Version = "v1" } });
        var ex = Assert.Throws<RenderException>(() => state.Render(noRepo, Policies.Facts()));
        Assert.Equal("spec.secondaryNetwork.cniPlugins.repository: repository is required", ex.Message);

        noRepo.Spec.Global = new GlobalConfig { Repository = "r.example" };
        noRepo.Spec.SecondaryNetwork!.CniPlugins!.Version = null;
        Assert.Equal("spec.secondaryNetwork.cniPlugins.version: version is required", Assert.Throws<RenderException>(() => state.Render(noRepo, Policies.Facts())).Message);

        noRepo.Spec.Global.Version = "v9";
        noRepo.Spec.Global.ImagePullSecrets = ["global-secret"];
        var pod = state.Render(noRepo, Policies.Facts()).Single<V1DaemonSet>().Spec.Template.Spec;
        Assert.Equal("r.example/plugins:v9", pod.Containers[0].Image);
        Assert.Equal(["global-secret"], pod.ImagePullSecrets.Select(s => s.Name));
    }

    [Fact]
    public void Own_pull_secrets_win_over_global_ones()
    {
        var image = ResolvedImage.Resolve(new ImageSpec { Image = "i", Repository = "r", Version = "v", ImagePullSecrets = ["own"] }, new GlobalConfig { ImagePullSecrets = ["global"] }, "spec.x");
        Assert.Equal(["own"], image.PullSecrets);
    }

    [Fact]
    public void Multus_defaults_resources_and_switches_to_the_user_config()
    {
        var spec = Policies.Image(new MultusSpec(), "multus-cni");
        var state = new MultusCniState();
        var auto = state.Render(Policies.Cluster(s => s.SecondaryNetwork = new SecondaryNetworkSpec { Multus = spec }), Policies.Facts());
        var container = auto.Single<V1DaemonSet>().Spec.Template.Spec.Container("kube-multus");
        Assert.Equal("--multus-conf-file=auto", container.Args[0]);
        Assert.Equal("100m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("50Mi", container.Resources.Limits["memory"].ToString());
        Assert.DoesNotContain(auto.Objects, o => o is V1ConfigMap);

        spec.Config = "{\"cniVersion\":\"0.3.1\",\"name\":\"multus-cni-network\",\"type\":\"multus\"}";
        spec.ContainerResources = [new ResourceRequirements { Name = "kube-multus", Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } }];
        var configured = state.Render(Policies.Cluster(s => s.SecondaryNetwork = new SecondaryNetworkSpec { Multus = spec }), Policies.Facts());
        var ds = configured.Single<V1DaemonSet>();
        Assert.Equal("--multus-conf-file=/tmp/multus-conf/00-multus.conf", ds.Spec.Template.Spec.Container("kube-multus").Args[0]);
        Assert.Equal("1", ds.Spec.Template.Spec.Container("kube-multus").Resources.Requests["cpu"].ToString());
        Assert.Null(ds.Spec.Template.Spec.Container("kube-multus").Resources.Limits);
        Assert.Equal(ConfigHash.Compute(spec.Config), ds.Spec.Template.Metadata.Annotations[Annotations.ConfigHash]);
        Assert.Equal(spec.Config, configured.Single<V1ConfigMap>("multus-cni-config").Data["cni-conf.json"]);
    }

    [Fact]
    public void Cni_bin_dir_follows_the_cluster_type()
    {
        var policy = Policies.Cluster(s => s.SecondaryNetwork = new SecondaryNetworkSpec { CniPlugins = Policies.Image(new ImageSpec(), "plugins") });
        var state = new ContainerNetworkingPluginsState();
        Assert.Equal("/opt/cni/bin", state.Render(policy, Policies.Facts()).Single<V1DaemonSet>().Spec.Template.Spec.Volumes[0].HostPath.Path);
        Assert.Equal("/var/lib/cni/bin", state.Render(policy, Policies.OpenShift()).Single<V1DaemonSet>().Spec.Template.Spec.Volumes[0].HostPath.Path);
        Assert.Equal("/custom/bin", state.Render(policy, Policies.Facts() with { CniBinDirectory = "/custom/bin" }).Single<V1DaemonSet>().Spec.Template.Spec.Volumes[0].HostPath.Path);
    }

    [Fact]
    public void Whereabouts_renders_its_CRDs_roles_config_DaemonSet_and_node_slice_controller()
    {
        var policy = Policies.Cluster(s =>
        {
            s.SecondaryNetwork = new SecondaryNetworkSpec { IpamPlugin = Policies.Image(new ImageSpec(), "whereabouts") };
            s.DeploymentTolerations = [new V1Toleration { Key = "infra", OperatorProperty = "Exists" }];
        });
        var result = new WhereaboutsCniState().Render(policy, Policies.Facts());

        Assert.Equal(
        [
            "CustomResourceDefinition/ippools.whereabouts.cni.cncf.io", "CustomResourceDefinition/nodeslicepools.whereabouts.cni.cncf.io",
            "CustomResourceDefinition/overlappingrangeipreservations.whereabouts.cni.cncf.io", "ClusterRole/whereabouts-cni", "ServiceAccount/whereabouts",
            "ClusterRoleBinding/whereabouts", "ConfigMap/whereabouts-config", "DaemonSet/whereabouts", "Deployment/whereabouts-node-slice-controller",
        ], result.Names());
        Assert.Equal("30 4 * * *", result.Single<V1ConfigMap>().Data["cron-expression"]);
        var ds = result.Single<V1DaemonSet>().Spec.Template.Spec;
        Assert.Equal(["-c", "SLEEP=false /install-cni.sh && /ip-control-loop\n"], ds.Containers[0].Args);
        Assert.Equal("200Mi", ds.Containers[0].Resources.Limits["memory"].ToString());
        Assert.Equal(484, ds.Volumes.Single(v => v.Name == "cron-scheduler-configmap").ConfigMap.DefaultMode);
        var controller = result.Single<V1Deployment>().Spec.Template.Spec;
        Assert.Equal(["infra"], controller.Tolerations.Select(t => t.Key));
        Assert.Equal(0, controller.Priority);

        // Defaults are per container: an entry for the controller leaves the DaemonSet's defaults in place.
        policy.Spec.SecondaryNetwork!.IpamPlugin!.ContainerResources =
            [new ResourceRequirements { Name = "whereabouts-node-slice-controller", Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") } }];
        var rendered = new WhereaboutsCniState().Render(policy, Policies.Facts());
        Assert.Equal("200Mi", rendered.Single<V1DaemonSet>().Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
        Assert.Equal("1Gi", rendered.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Nv_ipam_webhook_uses_cert_manager_on_kubernetes_and_the_service_ca_on_openshift()
    {
        var policy = Policies.Cluster(s => s.NvIpam = Policies.Image(new NvIpamSpec { EnableWebhook = true }, "nvidia-k8s-ipam"));
        var vanilla = new NvIpamCniState().Render(policy, Policies.Facts());
        Assert.Contains("Issuer/nv-ipam-selfsigned-issuer", vanilla.Names());
        Assert.Contains("Certificate/nv-ipam-serving-cert", vanilla.Names());
        Assert.Equal("nvidia-network-operator/nv-ipam-serving-cert", vanilla.Single<V1ValidatingWebhookConfiguration>().Metadata.Annotations["cert-manager.io/inject-ca-from"]);
        Assert.Contains("--webhook=true", vanilla.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Args);

        var ocp = new NvIpamCniState().Render(policy, Policies.OpenShift());
        Assert.DoesNotContain(ocp.Objects, o => o.Kind is "Issuer" or "Certificate");
        Assert.Equal("true", ocp.Single<V1ValidatingWebhookConfiguration>().Metadata.Annotations["service.beta.openshift.io/inject-cabundle"]);
        Assert.Equal("nv-ipam-webhook-server-cert", ocp.Single<V1Service>().Metadata.Annotations["service.alpha.openshift.io/serving-cert-secret-name"]);

        policy.Spec.NvIpam!.EnableWebhook = false;
        var plain = new NvIpamCniState().Render(policy, Policies.Facts());
        Assert.DoesNotContain(plain.Objects, o => o.Kind is "Service" or "ValidatingWebhookConfiguration");
        Assert.Equal(2, plain.Single<V1Deployment>().Spec.Replicas);
    }

    [Fact]
    public void Ib_kubernetes_deployment_carries_ufm_env_and_control_plane_placement()
    {
        var policy = Policies.Cluster(s => s.IBKubernetes = Policies.Image(new IBKubernetesSpec { UfmSecret = "ufm", PKeyGuidPoolRangeStart = "02:00:00:00:00:00:00:00", PKeyGuidPoolRangeEnd = "02:FF:FF:FF:FF:FF:FF:FF" }, "ib-kubernetes"));
        var deployment = new IBKubernetesState().Render(policy, Policies.Facts()).Single<V1Deployment>();
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        var env = deployment.Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name);
        Assert.Equal("5", env["DAEMON_PERIODIC_UPDATE"].Value);
        Assert.Equal("ufm", env["UFM_ADDRESS"].ValueFrom.SecretKeyRef.Name);
        Assert.Null(env["UFM_ADDRESS"].ValueFrom.SecretKeyRef.Optional);
        Assert.True(env["UFM_PORT"].ValueFrom.SecretKeyRef.Optional);
        Assert.Equal(["node-role.kubernetes.io/master", "node-role.kubernetes.io/control-plane", "nvidia.com/gpu"], deployment.Spec.Template.Spec.Tolerations.Select(t => t.Key));
        Assert.Equal("300Mi", deployment.Spec.Template.Spec.Containers[0].Resources.Requests["memory"].ToString());
    }

    [Fact]
    public void Nic_configuration_operator_renders_crds_storage_and_both_workloads()
    {
        var policy = Policies.Cluster(s => s.NicConfigurationOperator = new NicConfigurationOperatorSpec
        {
            Operator = Policies.Image(new ImageSpec(), "nic-configuration-operator"),
            ConfigurationDaemon = Policies.Image(new ImageSpec(), "nic-configuration-operator-daemon"),
            NicFirmwareStorage = new NicFirmwareStorageSpec { Create = true },
        });
        var result = new NicConfigurationOperatorState().Render(policy, Policies.Facts());
        Assert.Equal(5, result.Objects.Count(o => o is V1CustomResourceDefinition));
        Assert.Equal("1Gi", result.Single<V1PersistentVolumeClaim>("nic-fw-storage-pvc").Spec.Resources.Requests["storage"].ToString());
        var daemon = result.Single<V1DaemonSet>().Spec.Template;
        Assert.Equal(string.Empty, daemon.Metadata.Labels[Labels.NicConfigurationDaemon]);
        Assert.Equal("false", daemon.Spec.NodeSelector[Labels.MofedWait]);
        Assert.Equal("info", daemon.Spec.Containers[0].Env.Single(e => e.Name == "LOG_LEVEL").Value);
        Assert.Contains(daemon.Spec.Containers[0].VolumeMounts, m => m.MountPath == "/nic-firmware" && m.ReadOnlyProperty == true);
        Assert.Equal("5Gi", result.Single<V1Deployment>().Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());

        // What kubectl and scripts rely on, as upstream renders it.
        var manager = result.Single<V1Deployment>().Spec.Template;
        Assert.Equal("manager", manager.Metadata.Annotations["kubectl.kubernetes.io/default-container"]);
        Assert.Equal("nic-configuration-daemon", daemon.Metadata.Annotations["kubectl.kubernetes.io/default-container"]);
        Assert.Equal(10, manager.Spec.TerminationGracePeriodSeconds);
        Assert.Equal(10, daemon.Spec.TerminationGracePeriodSeconds);
        var controlPlane = manager.Spec.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution
            .Single(t => t.Preference.MatchExpressions[0].Key == "node-role.kubernetes.io/control-plane").Preference.MatchExpressions[0];
        Assert.Equal("In", controlPlane.OperatorProperty);
        Assert.Equal([""], controlPlane.Values);
    }

    [Fact]
    public void Nic_feature_discovery_and_doca_telemetry_carry_upstreams_labels_arguments_volumes_and_settings()
    {
        var nfd = new NicFeatureDiscoveryState().Render(
            Policies.Cluster(s => s.NicFeatureDiscovery = Policies.Image(new NicFeatureDiscoverySpec(), "nic-feature-discovery")), Policies.Facts()).Single<V1DaemonSet>();
        Assert.Equal("node", nfd.Metadata.Labels["tier"]);
        Assert.Equal("node", nfd.Spec.Template.Metadata.Labels["tier"]);
        Assert.Equal(["/nic-feature-discovery"], nfd.Spec.Template.Spec.Containers[0].Command);
        Assert.Equal(["--v=0", "--logging-format=json"], nfd.Spec.Template.Spec.Containers[0].Args);

        var dts = new DocaTelemetryServiceState().Render(
            Policies.Cluster(s => s.DocaTelemetryService = Policies.Image(new DocaTelemetryServiceSpec(), "doca_telemetry")), Policies.Facts());
        var pod = dts.Single<V1DaemonSet>().Spec.Template.Spec;
        Assert.Equal(["doca-telemetry-service-configmap", "pod-device-resources", "cni"], pod.Volumes.Select(v => v.Name));
        Assert.Equal(pod.Volumes.Select(v => v.Name), pod.Containers[0].VolumeMounts.Select(m => m.Name));
        var settings = dts.Single<V1ConfigMap>().Data[DocaTelemetryServiceState.ConfigKey].Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var line in new[] { "enable-explicitly=true", "update=1000", "prometheus=http://0.0.0.0:9189", "enable-provider=pod_resources", "port=0" })
        {
            Assert.Contains(line, settings);
        }

        Assert.DoesNotContain(settings, l => l.StartsWith('['));
    }

    [Fact]
    public void Spectrum_x_exports_xplane_env_only_with_a_version()
    {
        var spec = Policies.Image(new SpectrumXOperatorSpec(), "spectrum-x-operator");
        spec.XPlane = new ImageSpec { Image = "xplane", Repository = "nvcr.io/nvidia/doca", Version = "3.5", ImagePullSecrets = ["a", "b"] };
        var env = new SpectrumXOperatorState().Render(Policies.Cluster(s => s.SpectrumXOperator = spec), Policies.Facts())
            .Single<V1DaemonSet>().Spec.Template.Spec.Containers[0].Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("3.5", env["XPLANE_VERSION"]);
        Assert.Equal("a,b", env["IMAGE_PULL_SECRETS"]);

        var ds = new SpectrumXOperatorState().Render(Policies.Cluster(s => s.SpectrumXOperator = spec), Policies.Facts()).Single<V1DaemonSet>();
        Assert.Equal("spectrum-x-operator", ds.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("spectrum-x-flowcontroller", ds.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/default-container"]);
        var container = ds.Spec.Template.Spec.Containers[0];
        Assert.Equal(["XPLANE_REPOSITORY", "XPLANE_IMAGE", "XPLANE_VERSION", "IMAGE_PULL_SECRETS", "POD_NAMESPACE", "NODE_NAME"], container.Env.Select(e => e.Name));
        Assert.Equal((0L, 0L), (container.SecurityContext.RunAsUser!.Value, container.SecurityContext.RunAsGroup!.Value));
        Assert.False(ds.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal(10, ds.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void A_policy_not_named_nic_cluster_policy_is_reported_not_rendered()
    {
        var policy = Policies.Cluster(s => s.NvIpam = Policies.Image(new NvIpamSpec(), "nvidia-k8s-ipam"));
        policy.Metadata.Name = "other";
        var outcome = Assert.Single(ClusterRenderer.RenderAll([policy], Policies.Facts()));
        Assert.Equal("metadata.name", outcome.Error!.FieldPath);
    }

    [Fact]
    public void Full_example_objects_all_carry_state_label_revision_and_namespace()
    {
        var (_, outcomes) = Examples.Render(Examples.All[0]);
        foreach (var outcome in outcomes)
        {
            foreach (var obj in outcome.Objects)
            {
                Assert.Equal(outcome.State, obj.Metadata.Labels[Labels.State]);
                Assert.Matches("^[0-9]+$", obj.Metadata.Annotations[Annotations.Revision]);
                Assert.Equal(RevisionHash.Compute(obj), obj.Metadata.Annotations[Annotations.Revision]);
                var clusterScoped = obj.Kind is "ClusterRole" or "ClusterRoleBinding" or "CustomResourceDefinition" or "ValidatingWebhookConfiguration";
                Assert.Equal(clusterScoped ? null : "nvidia-network-operator", obj.Metadata.NamespaceProperty);
            }

            var dsOwner = outcome.State is StateNames.Ofed or StateNames.RdmaDevicePlugin or StateNames.SriovDevicePlugin;
            Assert.All(outcome.Objects, o => Assert.Equal(dsOwner, o.Metadata.Labels.ContainsKey(Labels.DsOwner)));
        }

        // Every node-side DaemonSet tolerates the policy's taints first, then GPUs.
        foreach (var ds in outcomes.SelectMany(o => o.Objects).OfType<V1DaemonSet>())
        {
            Assert.Equal(["dedicated", "nvidia.com/gpu"], ds.Spec.Template.Spec.Tolerations.Select(t => t.Key));
        }
    }

    [Fact]
    public void Crd_manifests_are_structural_and_named_after_their_plural_and_group()
    {
        foreach (var file in NetworkOperator.Rendering.Crds.CrdManifests.All)
        {
            var crd = NetworkOperator.Rendering.Crds.CrdManifests.Load(file);
            Assert.Equal($"{crd.Spec.Names.Plural}.{crd.Spec.Group}", crd.Metadata.Name);
            Assert.Equal("Namespaced", crd.Spec.Scope);
            var version = Assert.Single(crd.Spec.Versions);
            Assert.Equal("object", version.Schema.OpenAPIV3Schema.Type);
            Assert.Contains("spec", version.Schema.OpenAPIV3Schema.Properties.Keys);
        }
    }
}
