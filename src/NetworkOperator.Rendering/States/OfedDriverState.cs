using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Rendering.States;

/// <summary>
/// <c>state-OFED</c>: the DOCA/MOFED driver, one DaemonSet per driver pool (OS, version, kernel), plus its RBAC and the
/// init-container config. Serves NicClusterPolicy and NicNodePolicy.
/// </summary>
public sealed class OfedDriverState : NodeGroupState<OfedDriverSpec>
{
    public const string Field = "spec.ofedDriver";
    public const string ServiceAccountName = "ofed-driver";
    public const string InitConfigMapName = "ofed-init-container-config";
    public const string InitConfigKey = "config.json";
    public const string DriverContainer = "mofed-container";
    public const string ToolkitContainer = "openshift-driver-toolkit-ctr";
    public const string InitContainer = "network-operator-init-container";
    public const string ToolkitSharedDir = "/mnt/shared-doca-driver-toolkit";

    public static readonly IReadOnlyList<string> ModuleDependencyCheckModules =
        ["mlx5_core", "mlx5_ib", "ib_umad", "ib_uverbs", "ib_ipoib", "rdma_cm", "rdma_ucm", "ib_core", "ib_cm"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public override string Name => StateNames.Ofed;

    public override IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, StateKinds.ClusterRole, StateKinds.ClusterRoleBinding, .. StateKinds.OpenShiftScc, StateKinds.ConfigMap, StateKinds.DaemonSet];

    protected override OfedDriverSpec? Section(INicPolicySpec spec) => spec?.OfedDriver;

    protected override RenderResult RenderSection(OfedDriverSpec section, NodeGroup group, ClusterFacts facts) => Render(section, group, facts);

    /// <summary>
    /// Why no pool formed, the first missing step named: a node selector nothing matches, no node NFD labelled as having a
    /// Mellanox NIC, or NIC nodes all skipped (each skipped node is its own warning).
    /// </summary>
    private static string NoPoolReason(IReadOnlyDictionary<string, string> nodeSelector, IReadOnlyList<V1Node> nodes)
    {
        var selector = string.Join(",", nodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var among = nodeSelector.Count == 0 ? string.Empty : $" among the nodes matching spec.nodeSelector {selector}";
        var selected = nodes.Where(n => nodeSelector.All(kv => n.Metadata?.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value)).ToList();
        var all = nodes.Count;
        if (nodeSelector.Count > 0 && selected.Count == 0)
        {
            return $"no node qualifies for the driver: no node matches spec.nodeSelector {selector} ({all} node{(all == 1 ? "" : "s")} in the cluster)";
        }

        if (!selected.Any(n => n.Metadata?.Labels?.TryGetValue(Labels.NicPresent, out var v) == true && v == "true"))
        {
            return $"no node qualifies for the driver{among}: none is labelled {Labels.NicPresent}=true (Node Feature Discovery's label for a Mellanox NIC; is NFD with the NIC rule installed?)";
        }

        return $"no node qualifies for the driver{among}: every node with a Mellanox NIC lacks NFD OS and kernel labels or has a taint the driver does not tolerate";
    }

    public static RenderResult Render(OfedDriverSpec spec, NodeGroup group, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(facts);
        var image = ResolvedImage.Resolve(spec, group.Global, Field);
        var ns = facts.OperatorNamespace;
        var pools = NodePools.Compute(facts.Nodes, group.Tolerations, group.NodeSelector);
        var warnings = pools.Skipped.Select(s => $"node {s.Name} gets no driver: {s.Reason}").ToList();
        if (pools.Pools.Count == 0)
        {
            // Upstream renders nothing at all then (and the state deletes what it had): no NIC node can run the driver.
            warnings.Add(NoPoolReason(group.NodeSelector, facts.Nodes));
            return StateObjects.Finish(StateNames.Ofed, [], group.DsOwner) with { Warnings = warnings };
        }

        // Our choice: per-NicNodePolicy helper objects carry the policy's hash suffix so no object has two owners.
        var sa = ServiceAccountName + group.HashSuffix;
        var initConfigMap = InitConfigMapName + group.HashSuffix;
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            K8s.ServiceAccount(sa, ns),
            K8s.ClusterRole(
                sa,
                K8s.Rule([string.Empty], ["nodes"], ["get", "list", "patch", "watch", "update"]),
                K8s.Rule([string.Empty], ["configmaps"], ["get", "list"])),
        };
        var openShift = facts.IsOpenShift ? OpenShiftScc.PrivilegedRoleAndBinding(sa, ns, sa).ToList() : [];
        if (openShift.Count > 0)
        {
            objects.Add(openShift[0]);
        }

        objects.Add(K8s.ClusterRoleBinding(sa, sa, sa, ns));
        if (openShift.Count > 0)
        {
            objects.Add(openShift[1]);
        }

        var safeLoad = spec.UpgradePolicy is { AutoUpgrade: true, SafeLoad: true };
        if (facts.OfedInitContainerImage is not null)
        {
            objects.Add(K8s.ConfigMap(initConfigMap, ns, K8s.Map((InitConfigKey, InitContainerConfig(safeLoad)))));
        }
        else if (safeLoad)
        {
            warnings.Add("upgradePolicy.safeLoad is set but the operator has no OFED_INIT_CONTAINER_IMAGE: safe driver load is unavailable");
        }

        foreach (var pool in pools.Pools)
        {
            objects.Add(DaemonSet(spec, image, pool, group, facts, sa, initConfigMap));
        }

        return StateObjects.Finish(StateNames.Ofed, objects, group.DsOwner) with { DriverPools = pools.Pools, Warnings = warnings };
    }

    private static string InitContainerConfig(bool safeLoad)
    {
        var config = new JsonObject
        {
            ["safeDriverLoad"] = new JsonObject { ["enable"] = safeLoad, ["annotation"] = Annotations.UpgradeWaitForSafeLoad },
            ["moduleDependencyCheck"] = new JsonObject
            {
                ["modules"] = new JsonArray([.. ModuleDependencyCheckModules.Select(m => JsonValue.Create(m))]),
                ["hostProcPath"] = "/host/proc",
                ["hostSysPath"] = "/host/sys",
            },
        };
        return config.ToJsonString(Indented) + "\n";
    }

    private static V1DaemonSet DaemonSet(OfedDriverSpec spec, ResolvedImage image, DriverPool pool, NodeGroup group, ClusterFacts facts, string sa, string initConfigMap)
    {
        var ns = facts.OperatorNamespace;
        var app = pool.BaseName + group.HashSuffix;
        var driverImage = DriverImage.Select(image, pool, spec.ForcePrecompiled == true, facts.PrecompiledTags, Field);
        var useToolkit = facts.IsOpenShift && facts.UseDriverToolkit && !image.IsDigest && !driverImage.Precompiled;
        string? toolkitImage = null;
        if (useToolkit)
        {
            if (string.IsNullOrEmpty(pool.OsTreeVersion))
            {
                throw new RenderException($"required NFD Label missing: {Labels.OsTreeVersion} (nodes {string.Join(", ", pool.NodeNames)})", Field);
            }

            if (!facts.DriverToolkitImages.TryGetValue(pool.OsTreeVersion, out toolkitImage))
            {
                throw new RenderException($"no driver toolkit image for RHCOS {pool.OsTreeVersion}: ImageStream openshift/driver-toolkit has no such tag", Field);
            }
        }

        var userEnv = (spec.Env ?? []).ToList();
        AddProxyEnv(userEnv, facts);
        var extra = new OfedMounts.Extra([], []);
        if (spec.CertConfig?.Name is { Length: > 0 } cert)
        {
            OfedMounts.AddConfigMapFiles(extra, cert, OfedMounts.CertificateDirectory(pool.OsName, Field + ".certConfig"), facts.ConfigMapKeys, ns, Field + ".certConfig.name");
        }
        else if (facts.IsOpenShift && !string.IsNullOrEmpty(facts.Proxy?.TrustedCaConfigMap))
        {
            // The controller keeps this ConfigMap (OpenShift injects the cluster CA bundle into it); only its bundle key is used.
            var trusted = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [OfedMounts.TrustedCaConfigMap] = [OfedMounts.TrustedCaKey] };
            OfedMounts.AddConfigMapFiles(extra, OfedMounts.TrustedCaConfigMap, OfedMounts.CertificateDirectory(pool.OsName, Field), trusted, ns, Field, new Dictionary<string, string> { [OfedMounts.TrustedCaKey] = OfedMounts.TrustedCaFile });
        }

        if (spec.RepoConfig?.Name is { Length: > 0 } repo)
        {
            OfedMounts.AddConfigMapFiles(extra, repo, OfedMounts.RepositoryDirectory(pool.OsName, Field + ".repoConfig"), facts.ConfigMapKeys, ns, Field + ".repoConfig.name");
        }

        OfedMounts.AddSubscriptions(extra, pool);

        // The policy's env with the cluster proxy and the driver defaults merged in, as every container of the pod gets it.
        var mergedEnv = OfedDefaults.WithDefaults(userEnv).ToList();
        var mainEnv = new List<V1EnvVar>();
        if (useToolkit)
        {
            mainEnv.Add(K8s.Env("DTK_OCP_DRIVER_BUILD", "true"));
            mainEnv.Add(K8s.Env("DTK_OCP_NIC_SHARED_DIR", ToolkitSharedDir));
        }

        mainEnv.AddRange(mergedEnv);

        var mounts = new List<V1VolumeMount>
        {
            K8s.Mount("run-mlnx-ofed", "/run/mellanox/drivers", propagation: "Bidirectional"),
            K8s.Mount("etc-network", "/etc/network"),
            K8s.Mount("host-etc", "/host/etc"),
            K8s.Mount("host-usr", "/host/usr"),
            K8s.Mount("host-udev", "/host/lib/udev"),
            K8s.Mount("host-run-udev", "/run/udev", readOnly: true),
            K8s.Mount("host-lib-modules", "/host/lib/modules"),
            K8s.Mount("drivers-inventory", "/mnt/drivers-inventory"),
            K8s.Mount("host-ib-core", "/etc/modprobe.d/ib_core.conf"),
            K8s.Mount("dev-infiniband", "/dev/infiniband"),
        };
        mounts.AddRange(extra.Mounts);
        var volumes = new List<V1Volume>
        {
            K8s.HostPath("run-mlnx-ofed", "/run/mellanox/drivers"),
            K8s.HostPath("etc-network", "/etc/network"),
            K8s.HostPath("host-etc", "/etc"),
            K8s.HostPath("host-usr", "/usr"),
            K8s.HostPath("host-udev", "/lib/udev"),
            K8s.HostPath("host-run-udev", "/run/udev"),
            K8s.HostPath("host-lib-modules", "/lib/modules"),
            K8s.HostPath("drivers-inventory", "/var/opt/mofed-container/inventory", "DirectoryOrCreate"),
            K8s.HostPath("host-ib-core", "/etc/modprobe.d/ib_core.conf", "FileOrCreate"),
            K8s.HostPath("dev-infiniband", "/dev/infiniband", "DirectoryOrCreate"),

            // Declared whether or not the init container that mounts them runs, as upstream's pod template does.
            K8s.HostPath("host-proc", "/proc", "Directory"),
            K8s.HostPath("host-sys", "/sys", "Directory"),
        };
        volumes.AddRange(extra.Volumes);

        var containers = new List<V1Container>
        {
            new()
            {
                Name = DriverContainer,
                Image = driverImage.Reference,
                ImagePullPolicy = "IfNotPresent",
                SecurityContext = new V1SecurityContext { Privileged = true, SeLinuxOptions = new V1SELinuxOptions { Level = "s0" } },
                Env = mainEnv,
                Resources = Resources.For(image.ContainerResources, DriverContainer),
                VolumeMounts = mounts,
                StartupProbe = OfedDefaults.Probe(spec.StartupProbe, OfedDefaults.Startup, "ls /run/mellanox/drivers/.driver-ready"),
                LivenessProbe = OfedDefaults.Probe(spec.LivenessProbe, OfedDefaults.LivenessReadiness, "lsmod | grep mlx5_core"),
                ReadinessProbe = OfedDefaults.Probe(spec.ReadinessProbe, OfedDefaults.LivenessReadiness, "lsmod | grep mlx5_core"),
            },
        };
        if (useToolkit)
        {
            mounts.Add(K8s.Mount("shared-doca-driver-toolkit", ToolkitSharedDir));
            volumes.Add(new V1Volume { Name = "shared-doca-driver-toolkit", EmptyDir = new V1EmptyDirVolumeSource() });
            var dir = $"{ToolkitSharedDir}/{pool.Kernel}";
            containers.Add(new V1Container
            {
                Name = ToolkitContainer,
                Image = toolkitImage,
                ImagePullPolicy = "IfNotPresent",
                Command = ["bash", "-xc"],
                // A shell as PID 1 ignores SIGTERM without a trap, which would hold pod deletion for the whole grace period;
                // the sleep runs in the background so the trap fires at once.
                Args = [$"trap 'echo driver toolkit sidecar stopping; exit 0' TERM INT; until [ -f {dir}/dtk_start_compile ]; do echo waiting for the driver container to prepare the build; sleep 3 & wait $! || true; done; exec {dir}/dtk_nic_driver_build.sh"],
                SecurityContext = new V1SecurityContext { Privileged = true, SeLinuxOptions = new V1SELinuxOptions { Level = "s0" } },
                Env = [K8s.Env("DTK_OCP_NIC_SHARED_DIR", ToolkitSharedDir), .. mergedEnv],
                Resources = Resources.For(image.ContainerResources, ToolkitContainer),
                VolumeMounts = [.. extra.Mounts, K8s.Mount("shared-doca-driver-toolkit", ToolkitSharedDir)],
            });
        }

        List<V1Container>? initContainers = null;
        if (facts.OfedInitContainerImage is { } initImage)
        {
            initContainers =
            [
                new V1Container
                {
                    Name = InitContainer,
                    Image = initImage,
                    ImagePullPolicy = "IfNotPresent",
                    Args = ["--node-name", "$(NODE_NAME)", "--configmap-name", initConfigMap, "--configmap-namespace", ns, "--configmap-key", InitConfigKey],
                    Env = [K8s.FieldEnv("NODE_NAME", "spec.nodeName"), .. mergedEnv],
                    VolumeMounts = [K8s.Mount("host-proc", "/host/proc", readOnly: true), K8s.Mount("host-sys", "/host/sys", readOnly: true)],
                },
            ];
        }

        var nodeSelector = K8s.Map(
            (Labels.NicPresent, "true"),
            (Labels.OsReleaseId, pool.OsName),
            (Labels.OsReleaseVersionId, pool.OsVersion),
            (Labels.KernelVersionFull, pool.Kernel));
        if (useToolkit)
        {
            nodeSelector[Labels.OsTreeVersion] = pool.OsTreeVersion!;
        }

        if (pool.ArchSplit)
        {
            nodeSelector[Labels.Arch] = pool.Arch;
        }

        foreach (var (key, value) in group.NodeSelector)
        {
            nodeSelector[key] = value;
        }

        return new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = K8s.Meta(app + "-ds", ns, K8s.Map(("app", app), (Labels.OfedDriver, string.Empty), (Labels.MofedDsFormatVersion, "1"))),
            Spec = new V1DaemonSetSpec
            {
                UpdateStrategy = K8s.OnDelete,
                Selector = new V1LabelSelector { MatchLabels = K8s.Map(("app", app)) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = K8s.Meta(null!, labels: K8s.Map(("app", app), ("kernel", pool.Kernel), (Labels.OfedDriver, string.Empty), (Labels.DsOwner, group.DsOwner))),
                    Spec = new V1PodSpec
                    {
                        PriorityClassName = "system-node-critical",
                        Tolerations = Tolerations.WithGpu(group.Tolerations),
                        Affinity = new V1Affinity
                        {
                            // One driver pod per node, whichever pool it belongs to; merged with the policy's node affinity
                            // (upstream emits two `affinity` keys and loses one of them).
                            PodAntiAffinity = new V1PodAntiAffinity
                            {
                                RequiredDuringSchedulingIgnoredDuringExecution =
                                [
                                    new V1PodAffinityTerm
                                    {
                                        LabelSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = Labels.OfedDriver, OperatorProperty = "Exists" }] },
                                        TopologyKey = Labels.Hostname,
                                    },
                                ],
                            },
                            NodeAffinity = group.NodeAffinity,
                        },
                        ServiceAccountName = sa,
                        HostNetwork = true,
                        ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
                        InitContainers = initContainers,
                        Containers = containers,
                        TerminationGracePeriodSeconds = spec.TerminationGracePeriodSeconds ?? OfedDefaults.TerminationGracePeriodSeconds,
                        NodeSelector = nodeSelector,
                        Volumes = volumes,
                    },
                },
            },
        };
    }

    private static void AddProxyEnv(List<V1EnvVar> env, ClusterFacts facts)
    {
        if (!facts.IsOpenShift || facts.Proxy is not { } proxy)
        {
            return;
        }

        foreach (var (name, value) in new[] { ("HTTPS_PROXY", proxy.HttpsProxy), ("HTTP_PROXY", proxy.HttpProxy), ("NO_PROXY", proxy.NoProxy) })
        {
            if (string.IsNullOrEmpty(value) || env.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            env.Add(K8s.Env(name, value));
            env.Add(K8s.Env(name.ToLowerInvariant(), value));
        }
    }
}
