using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Rendering.States;

namespace NetworkOperator.Rendering.Tests.States;

public class OfedDriverStateTests
{
    private static readonly OfedDriverState State = new();

    private static RenderResult Render(OfedDriverSpec spec, ClusterFacts? facts = null, Action<NicClusterPolicySpec>? more = null) =>
        ((IComponentState<NicClusterPolicy>)State).Render(Policies.Cluster(s => { s.OfedDriver = spec; more?.Invoke(s); }), facts ?? Policies.Facts());

    private sealed class FakeTags(params string[] tags) : IPrecompiledTagLister
    {
        public string? Error { get; init; }

        public List<string> Asked { get; } = [];

        public PrecompiledTagLookup Lookup(string repository, string image, string tag)
        {
            Asked.Add($"{repository}/{image}:{tag}");
            return new PrecompiledTagLookup(tags.Contains(tag), Error);
        }
    }

    [Fact]
    public void One_daemonset_per_pool_with_the_contract_names_labels_and_selector()
    {
        var result = Render(Policies.Ofed(), Policies.Facts(TestNodes.Nic("a"), TestNodes.Nic("b", kernel: "5.15.0-78-generic")));

        Assert.Equal(
            ["ServiceAccount/ofed-driver", "ClusterRole/ofed-driver", "ClusterRoleBinding/ofed-driver", "DaemonSet/mofed-ubuntu22.04-54669c9886-ds", "DaemonSet/mofed-ubuntu22.04-6d568d699f-ds"],
            result.Names());
        var ds = result.Single<V1DaemonSet>("mofed-ubuntu22.04-6d568d699f-ds");
        Assert.Equal("mofed-ubuntu22.04-6d568d699f", ds.Metadata.Labels["app"]);
        Assert.Equal(string.Empty, ds.Metadata.Labels[Labels.OfedDriver]);
        Assert.Equal("1", ds.Metadata.Labels[Labels.MofedDsFormatVersion]);
        Assert.Equal(Labels.DsOwnerClusterPolicy, ds.Metadata.Labels[Labels.DsOwner]);
        Assert.Equal(StateNames.Ofed, ds.Metadata.Labels[Labels.State]);
        Assert.Equal("OnDelete", ds.Spec.UpdateStrategy.Type);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "mofed-ubuntu22.04-6d568d699f" }, ds.Spec.Selector.MatchLabels);
        Assert.Equal("5.15.0-91-generic", ds.Spec.Template.Metadata.Labels["kernel"]);
        var pod = ds.Spec.Template.Spec;
        Assert.Equal("system-node-critical", pod.PriorityClassName);
        Assert.True(pod.HostNetwork);
        Assert.Equal(300, pod.TerminationGracePeriodSeconds);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [Labels.NicPresent] = "true",
                [Labels.OsReleaseId] = "ubuntu",
                [Labels.OsReleaseVersionId] = "22.04",
                [Labels.KernelVersionFull] = "5.15.0-91-generic",
            },
            pod.NodeSelector);
        Assert.Equal("nvcr.io/nvidia/mellanox/doca-driver:doca3.1.0-25.07-0.9.7.0-0-ubuntu22.04-amd64", pod.Container(OfedDriverState.DriverContainer).Image);
        Assert.Equal(2, result.DriverPools.Count);
    }

    [Fact]
    public void Node_affinity_is_merged_with_the_required_anti_affinity()
    {
        var affinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "x", OperatorProperty = "Exists" }] }] },
        };
        var pod = Render(Policies.Ofed(), more: s => s.NodeAffinity = affinity).Single<V1DaemonSet>().Spec.Template.Spec;

        Assert.Same(affinity, pod.Affinity.NodeAffinity);
        var term = Assert.Single(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal(Labels.Hostname, term.TopologyKey);
        Assert.Equal(Labels.OfedDriver, Assert.Single(term.LabelSelector.MatchExpressions).Key);
    }

    [Fact]
    public void Probe_and_env_defaults_fill_only_what_is_missing()
    {
        var spec = Policies.Ofed();
        spec.LivenessProbe = new PodProbeSpec { InitialDelaySeconds = 60, PeriodSeconds = 0 };
        spec.Env = [new V1EnvVar { Name = "CREATE_IFNAMES_UDEV", Value = "false" }];
        var container = Render(spec).Single<V1DaemonSet>().Spec.Template.Spec.Container(OfedDriverState.DriverContainer);

        Assert.Equal((30, 10, 120, 10), (container.StartupProbe.InitialDelaySeconds, container.StartupProbe.PeriodSeconds, container.StartupProbe.FailureThreshold, container.StartupProbe.TimeoutSeconds));
        Assert.Equal((60, 30, 1, 10), (container.LivenessProbe.InitialDelaySeconds, container.LivenessProbe.PeriodSeconds, container.LivenessProbe.FailureThreshold, container.LivenessProbe.TimeoutSeconds));
        Assert.Equal((10, 30, 1, 10), (container.ReadinessProbe.InitialDelaySeconds, container.ReadinessProbe.PeriodSeconds, container.ReadinessProbe.FailureThreshold, container.ReadinessProbe.TimeoutSeconds));
        Assert.Equal(["sh", "-c", "ls /run/mellanox/drivers/.driver-ready"], container.StartupProbe.Exec.Command);
        Assert.Equal(["sh", "-c", "lsmod | grep mlx5_core"], container.LivenessProbe.Exec.Command);
        Assert.Equal(["CREATE_IFNAMES_UDEV=false", "NVIDIA_NIC_DRIVERS_INVENTORY_PATH=/mnt/drivers-inventory"], container.Env.Select(e => $"{e.Name}={e.Value}"));
        Assert.True(container.SecurityContext.Privileged);
        Assert.Equal("s0", container.SecurityContext.SeLinuxOptions.Level);
        var inventory = Assert.Single(container.VolumeMounts, m => m.MountPath == "/mnt/drivers-inventory");
        Assert.Equal("Bidirectional", Assert.Single(container.VolumeMounts, m => m.MountPath == "/run/mellanox/drivers").MountPropagation);
        Assert.NotNull(inventory);
    }

    [Fact]
    public void Digest_versions_ignore_the_precompiled_lookup()
    {
        var tags = new FakeTags();
        var image = Render(Policies.Ofed("sha256:abcd"), Policies.Facts() with { PrecompiledTags = tags })
            .Single<V1DaemonSet>().Spec.Template.Spec.Containers[0].Image;
        Assert.Equal("nvcr.io/nvidia/mellanox/doca-driver@sha256:abcd", image);
        Assert.Empty(tags.Asked);
    }

    [Fact]
    public void Precompiled_tag_is_used_when_the_registry_has_it()
    {
        var tags = new FakeTags("v1-5.15.0-91-generic-ubuntu22.04-amd64");
        var result = Render(Policies.Ofed("v1"), Policies.Facts() with { PrecompiledTags = tags });
        Assert.Equal("nvcr.io/nvidia/mellanox/doca-driver:v1-5.15.0-91-generic-ubuntu22.04-amd64", result.Single<V1DaemonSet>().Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(["nvcr.io/nvidia/mellanox/doca-driver:v1-5.15.0-91-generic-ubuntu22.04-amd64"], tags.Asked);
    }

    [Fact]
    public void Force_precompiled_without_the_tag_is_an_error_naming_the_tag()
    {
        var spec = Policies.Ofed("v1");
        spec.ForcePrecompiled = true;

        var notFound = Assert.Throws<RenderException>(() => Render(spec, Policies.Facts() with { PrecompiledTags = new FakeTags() }));
        Assert.Equal("spec.ofedDriver.forcePrecompiled: ForcePrecompiled is enabled and precompiled tag was not found: v1-5.15.0-91-generic-ubuntu22.04-amd64", notFound.Message);

        var failed = Assert.Throws<RenderException>(() => Render(spec, Policies.Facts() with { PrecompiledTags = new FakeTags { Error = "HTTP 503" } }));
        Assert.Contains("failed to verify existence of precompiled tag: v1-5.15.0-91-generic-ubuntu22.04-amd64, HTTP 503", failed.Message, StringComparison.Ordinal);

        var offline = Assert.Throws<RenderException>(() => Render(spec));
        Assert.Contains("lookup is disabled", offline.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenShift_builds_with_the_driver_toolkit_sidecar()
    {
        var node = TestNodes.Nic("ocp-1", os: "rhcos", version: "4.16", kernel: "5.14.0-427.22.1.el9_4.x86_64");
        node.Metadata.Labels[Labels.OsTreeVersion] = "416.94.202406251923-0";
        var facts = Policies.OpenShift(node) with { DriverToolkitImages = new Dictionary<string, string> { ["416.94.202406251923-0"] = "quay.io/openshift/dtk@sha256:1" } };

        var result = Render(Policies.Ofed(), facts);

        var pod = result.Single<V1DaemonSet>().Spec.Template.Spec;
        var toolkit = pod.Container(OfedDriverState.ToolkitContainer);
        Assert.Equal("quay.io/openshift/dtk@sha256:1", toolkit.Image);
        Assert.Contains("/mnt/shared-doca-driver-toolkit/5.14.0-427.22.1.el9_4.x86_64/dtk_nic_driver_build.sh", toolkit.Args[0], StringComparison.Ordinal);
        var env = pod.Container(OfedDriverState.DriverContainer).Env.Select(e => $"{e.Name}={e.Value}").ToList();
        Assert.Equal(["DTK_OCP_DRIVER_BUILD=true", "DTK_OCP_NIC_SHARED_DIR=/mnt/shared-doca-driver-toolkit"], env.Take(2));
        Assert.Equal("416.94.202406251923-0", pod.NodeSelector[Labels.OsTreeVersion]);
        Assert.Contains(result.Objects, o => o is V1Role { Metadata.Name: "ofed-driver" });
        Assert.Contains(result.Objects, o => o is V1RoleBinding { Metadata.Name: "ofed-driver" });

        node.Metadata.Labels.Remove(Labels.OsTreeVersion);
        var missing = Assert.Throws<RenderException>(() => Render(Policies.Ofed(), facts));
        Assert.Contains("required NFD Label missing: " + Labels.OsTreeVersion, missing.Message, StringComparison.Ordinal);

        var noDtk = Render(Policies.Ofed(), facts with { UseDriverToolkit = false });
        Assert.Single(noDtk.Single<V1DaemonSet>().Spec.Template.Spec.Containers);
    }

    [Fact]
    public void Cert_and_repo_configmaps_are_mounted_key_by_key_in_os_specific_directories()
    {
        var spec = Policies.Ofed();
        spec.CertConfig = new ConfigMapNameReference { Name = "certs" };
        spec.RepoConfig = new ConfigMapNameReference { Name = "repos" };
        var facts = Policies.Facts(TestNodes.Nic("u"), TestNodes.Nic("r", os: "rhel", version: "9.4", kernel: "5.14.0")) with
        {
            ConfigMapKeys = new Dictionary<string, IReadOnlyList<string>> { ["certs"] = ["z.crt", "a.crt"], ["repos"] = ["r.repo"] },
        };

        var result = Render(spec, facts);

        var ubuntu = result.Single<V1DaemonSet>("mofed-ubuntu22.04-6d568d699f-ds").Spec.Template.Spec.Containers[0].VolumeMounts;
        Assert.Equal(
            ["/usr/local/share/ca-certificates/a.crt:a.crt", "/usr/local/share/ca-certificates/z.crt:z.crt", "/etc/apt/sources.list.d/r.repo:r.repo"],
            ubuntu.Where(m => m.SubPath is not null).Select(m => $"{m.MountPath}:{m.SubPath}"));
        var rhel = result.Objects.OfType<V1DaemonSet>().Single(d => d.Metadata.Name.StartsWith("mofed-rhel9.4", StringComparison.Ordinal)).Spec.Template.Spec;
        Assert.Contains(rhel.Containers[0].VolumeMounts, m => m.MountPath == "/etc/pki/ca-trust/extracted/pem/a.crt");
        Assert.Contains(rhel.Containers[0].VolumeMounts, m => m.MountPath == "/etc/yum.repos.d/r.repo");
        Assert.Equal(
            ["subscription-config-0:/etc/pki/entitlement", "subscription-config-1:/etc/yum.repos.d/redhat.repo", "subscription-config-2:/etc/rhsm"],
            rhel.Volumes.Where(v => v.Name.StartsWith("subscription", StringComparison.Ordinal)).Select(v => $"{v.Name}:{v.HostPath.Path}"));

        var missing = Assert.Throws<RenderException>(() => Render(spec, Policies.Facts()));
        Assert.Equal("spec.ofedDriver.certConfig.name", missing.FieldPath);
        Assert.Contains("ConfigMap certs not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crio_rhel_nodes_get_no_subscription_mounts_and_unknown_os_cannot_take_certificates()
    {
        var crio = TestNodes.Nic("r", os: "rhel", version: "9.4", kernel: "5.14.0");
        crio.Status.NodeInfo.ContainerRuntimeVersion = "cri-o://1.29.1";
        var pod = Render(Policies.Ofed(), Policies.Facts(crio)).Single<V1DaemonSet>().Spec.Template.Spec;
        Assert.DoesNotContain(pod.Volumes, v => v.Name.StartsWith("subscription", StringComparison.Ordinal));

        var spec = Policies.Ofed();
        spec.CertConfig = new ConfigMapNameReference { Name = "certs" };
        var facts = Policies.Facts(TestNodes.Nic("d", os: "debian", version: "12")) with { ConfigMapKeys = new Dictionary<string, IReadOnlyList<string>> { ["certs"] = ["a"] } };
        Assert.Contains("distribution not supported: debian", Assert.Throws<RenderException>(() => Render(spec, facts)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_qualifying_node_renders_nothing_and_says_why()
    {
        var result = Render(Policies.Ofed(), Policies.Facts(TestNodes.Cpu("cpu")));
        Assert.Empty(result.Objects);
        Assert.Contains("no node qualifies for the driver: none is labelled feature.node.kubernetes.io/pci-15b3.present=true "
            + "(Node Feature Discovery's label for a Mellanox NIC; is NFD with the NIC rule installed?)", result.Warnings);
    }

    [Fact]
    public void Without_a_pool_the_reason_names_the_first_missing_step_of_a_node_policy()
    {
        static NicNodePolicy Gpu() => Policies.Node("pool-a", s =>
        {
            s.OfedDriver = Policies.Ofed();
            s.NodeSelector = new Dictionary<string, string> { ["role"] = "gpu" };
        });
        static RenderResult RenderGpu(ClusterFacts facts) => ((IComponentState<NicNodePolicy>)State).Render(Gpu(), facts);
        var gpuCpu = TestNodes.Cpu("gpu-without-nic");
        gpuCpu.Metadata.Labels["role"] = "gpu";
        var gpuNoNfd = TestNodes.Node("gpu-without-nfd").Label(Labels.NicPresent, "true").Label("role", "gpu").Build();

        // Nothing carries the selector's label: the selector is what to look at, not NFD.
        Assert.Contains("no node qualifies for the driver: no node matches spec.nodeSelector role=gpu (2 nodes in the cluster)",
            RenderGpu(Policies.Facts(TestNodes.Nic("a"), TestNodes.Cpu("b"))).Warnings);
        // Selected, but no NIC label on them.
        Assert.Contains(RenderGpu(Policies.Facts(TestNodes.Nic("a"), gpuCpu)).Warnings,
            w => w.StartsWith("no node qualifies for the driver among the nodes matching spec.nodeSelector role=gpu: none is labelled "
                + "feature.node.kubernetes.io/pci-15b3.present=true", StringComparison.Ordinal));
        // A NIC node without NFD's OS and kernel labels: skipped, named on its own, and the summary says so.
        var warnings = RenderGpu(Policies.Facts(gpuNoNfd)).Warnings;
        Assert.Contains("node gpu-without-nfd gets no driver: Could not find NFD labels for node. Is NFD installed?", warnings);
        Assert.Contains("no node qualifies for the driver among the nodes matching spec.nodeSelector role=gpu: every node with a Mellanox NIC "
            + "lacks NFD OS and kernel labels or has a taint the driver does not tolerate", warnings);
    }

    [Fact]
    public void Init_container_and_its_safe_load_config_when_the_image_is_configured()
    {
        var spec = Policies.Ofed();
        spec.UpgradePolicy = new DriverUpgradePolicySpec { AutoUpgrade = true, SafeLoad = true };
        var result = Render(spec, Policies.Facts() with { OfedInitContainerImage = "init:1", OperatorNamespace = "netop" });

        var config = result.Single<V1ConfigMap>(OfedDriverState.InitConfigMapName);
        Assert.Contains("\"enable\": true", config.Data["config.json"], StringComparison.Ordinal);
        Assert.Contains(Annotations.UpgradeWaitForSafeLoad, config.Data["config.json"], StringComparison.Ordinal);
        var init = Assert.Single(result.Single<V1DaemonSet>().Spec.Template.Spec.InitContainers);
        Assert.Equal("init:1", init.Image);
        Assert.Equal(["--node-name", "$(NODE_NAME)", "--configmap-name", "ofed-init-container-config", "--configmap-namespace", "netop", "--configmap-key", "config.json"], init.Args);

        var without = Render(spec);
        Assert.DoesNotContain(without.Objects, o => o is V1ConfigMap);
        Assert.Contains(without.Warnings, w => w.Contains("safe driver load is unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenShift_proxy_adds_upper_and_lower_case_env_unless_the_user_set_it()
    {
        var spec = Policies.Ofed("sha256:1");
        spec.Env = [new V1EnvVar { Name = "https_proxy", Value = "mine" }];
        var facts = Policies.OpenShift() with { Proxy = new ClusterProxy("http://p:3128", "http://p:3128", ".cluster.local", "user-ca-bundle") };

        var pod = Render(spec, facts).Single<V1DaemonSet>().Spec.Template.Spec;

        var env = pod.Containers[0].Env.Select(e => e.Name).ToList();
        Assert.Equal(["https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"], env.Take(5));
        Assert.Contains(pod.Containers[0].VolumeMounts, m => m.MountPath == "/usr/local/share/ca-certificates/tls-ca-bundle.pem" && m.SubPath == "tls-ca-bundle.pem");
        var item = Assert.Single(Assert.Single(pod.Volumes, v => v.Name == "ocp-network-operator-trusted-ca").ConfigMap.Items);
        Assert.Equal(("ca-bundle.crt", "tls-ca-bundle.pem"), (item.Key, item.Path));
    }

    [Fact]
    public void Init_container_and_toolkit_sidecar_get_the_merged_env_of_the_driver_container()
    {
        var spec = Policies.Ofed();
        spec.Env = [new V1EnvVar { Name = "UNLOAD_STORAGE_MODULES", Value = "true" }];
        var node = TestNodes.Nic("rhcos-1", os: "rhcos", version: "4.16", kernel: "5.14.0-427.40.1.el9_4.x86_64");
        node.Metadata.Labels[Labels.OsTreeVersion] = "416.94.202410211619-0";
        var facts = Policies.Facts(node) with
        {
            ClusterType = ClusterType.OpenShift,
            OfedInitContainerImage = "example/init:1",
            DriverToolkitImages = new Dictionary<string, string> { ["416.94.202410211619-0"] = "example/dtk@sha256:1" },
            Proxy = new ClusterProxy("http://p:3129", "http://p:3128", null),
        };

        var pod = Render(spec, facts).Single<V1DaemonSet>().Spec.Template.Spec;

        string[] merged = ["UNLOAD_STORAGE_MODULES", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "CREATE_IFNAMES_UDEV", "NVIDIA_NIC_DRIVERS_INVENTORY_PATH"];
        Assert.Equal(["NODE_NAME", .. merged], Assert.Single(pod.InitContainers).Env.Select(e => e.Name));
        Assert.Equal(["DTK_OCP_DRIVER_BUILD", "DTK_OCP_NIC_SHARED_DIR", .. merged], pod.Containers.Single(c => c.Name == "mofed-container").Env.Select(e => e.Name));
        var toolkit = pod.Containers.Single(c => c.Name == "openshift-driver-toolkit-ctr");
        Assert.Equal("example/dtk@sha256:1", toolkit.Image);
        Assert.Equal(["DTK_OCP_NIC_SHARED_DIR", .. merged], toolkit.Env.Select(e => e.Name));
        Assert.Equal("416.94.202410211619-0", pod.NodeSelector[Labels.OsTreeVersion]);
    }

    [Fact]
    public void Node_policy_suffixes_names_and_merges_its_node_selector()
    {
        var gpu = TestNodes.Nic("gpu");
        gpu.Metadata.Labels["role"] = "gpu";
        var policy = Policies.Node("pool-a", s =>
        {
            s.OfedDriver = Policies.Ofed();
            s.NodeSelector = new Dictionary<string, string> { ["role"] = "gpu" };
        });

        var result = ((IComponentState<NicNodePolicy>)State).Render(policy, Policies.Facts(gpu, TestNodes.Nic("other", kernel: "5.15.0-78-generic")));

        var ds = result.Single<V1DaemonSet>();
        Assert.Equal("mofed-ubuntu22.04-6d568d699f-779d97f8c7-ds", ds.Metadata.Name);
        Assert.Equal("nnp-pool-a", ds.Metadata.Labels[Labels.DsOwner]);
        Assert.Equal("nnp-pool-a", ds.Spec.Template.Metadata.Labels[Labels.DsOwner]);
        Assert.Equal("gpu", ds.Spec.Template.Spec.NodeSelector["role"]);
        Assert.Equal("ofed-driver-779d97f8c7", ds.Spec.Template.Spec.ServiceAccountName);
        Assert.All(result.Objects, o => Assert.Equal("nnp-pool-a", o.Metadata.Labels[Labels.DsOwner]));
    }
    [Fact]
    public void Mixed_architecture_pools_get_their_own_daemonset_pinned_to_the_arch()
    {
        var result = Render(Policies.Ofed(), Policies.Facts(TestNodes.Nic("x86"), TestNodes.Nic("arm", arch: "arm64")));

        var arm = result.Single<V1DaemonSet>("mofed-ubuntu22.04-6d568d699f-arm64-ds");
        Assert.Equal("arm64", arm.Spec.Template.Spec.NodeSelector[Labels.Arch]);
        Assert.EndsWith("-ubuntu22.04-arm64", arm.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        Assert.Equal("amd64", result.Single<V1DaemonSet>("mofed-ubuntu22.04-6d568d699f-amd64-ds").Spec.Template.Spec.NodeSelector[Labels.Arch]);
    }

    [Fact]
    public void Untolerated_nodes_are_left_out_with_a_warning()
    {
        var tainted = TestNodes.Nic("tainted", kernel: "5.15.0-78-generic", taints: new V1Taint { Key = "dedicated", Value = "x", Effect = "NoSchedule" });
        var result = Render(Policies.Ofed(), Policies.Facts(TestNodes.Nic("ok"), tainted));
        Assert.Single(result.Objects.OfType<V1DaemonSet>());
        Assert.Contains(result.Warnings, w => w.StartsWith("node tainted gets no driver", StringComparison.Ordinal));

        var tolerated = Render(Policies.Ofed(), Policies.Facts(TestNodes.Nic("ok"), tainted), s => s.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }]);
        Assert.Equal(2, tolerated.Objects.OfType<V1DaemonSet>().Count());
    }
}
