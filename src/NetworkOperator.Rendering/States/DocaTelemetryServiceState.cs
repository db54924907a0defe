using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-doca-telemetry-service</c>: DOCA telemetry on NIC nodes, exporting counters for Prometheus.</summary>
public sealed class DocaTelemetryServiceState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.docaTelemetryService";
    public const string Container = "doca-telemetry-service";
    public const string DefaultConfigMap = "doca-telemetry-service";
    public const string ConfigKey = "dts_config_map.ini";

    /// <summary>
    /// The default DTS configuration, with the settings upstream's default sets: no aggregator port, 10 s page
    /// rotation, minimal buffers, info logging, one-second sampling, a restart cache under /config, only the four
    /// providers named (sysfs, pod_resources, ethtool, ifconfig), Prometheus on 9189 without the FI_metrics tag.
    /// </summary>
    public const string DefaultConfig =
        """
        # DOCA telemetry service settings (the service reads this file by name).
        port=0
        sync-time-limit=10000
        counter-buffer-size=0
        event-buffer-size=0
        verbose=6
        update=1000
        runtime-configuration-folder=/config/clx_last_runtime_conf
        idle-time-limit=0

        enable-explicitly=true
        enable-provider=sysfs
        enable-provider=pod_resources
        enable-provider=ethtool
        enable-provider=ifconfig

        prometheus=http://0.0.0.0:9189
        prometheus-ignore-tags=FI_metrics

        """;

    public string Name => StateNames.DocaTelemetryService;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, .. StateKinds.OpenShiftScc, StateKinds.ConfigMap, StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.DocaTelemetryService is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.DocaTelemetryService!;
        var image = ResolvedImage.Resolve(spec, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        var userConfigMap = spec.Config?.FromConfigMap;
        var configMap = string.IsNullOrEmpty(userConfigMap) ? DefaultConfigMap : userConfigMap;
        var objects = new List<IKubernetesObject<V1ObjectMeta>> { K8s.ServiceAccount(Container, ns) };
        if (facts.IsOpenShift)
        {
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(Container, ns, Container));
        }

        if (string.IsNullOrEmpty(userConfigMap))
        {
            objects.Add(K8s.ConfigMap(DefaultConfigMap, ns, K8s.Map((ConfigKey, DefaultConfig))));
        }

        var labels = K8s.Map(("app.kubernetes.io/name", "doca-telemetry"));
        var pod = new V1PodSpec
        {
            HostNetwork = true,
            ServiceAccountName = Container,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            NodeSelector = K8s.Map((Labels.NicPresent, "true"), (Labels.MofedWait, "false")),
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    Command = ["/bin/bash", "-c", "rm -rf /config/* && DTS_CONFIG_DIR=host /usr/bin/telemetry-init.sh && /usr/bin/telemetry-run.sh"],
                    Env =
                    [
                        K8s.FieldEnv("MY_POD_UID", "metadata.uid"),
                        K8s.Env("PROMETHEUS_XCSET_JOIN_FIELDS", "hca"),
                        K8s.Env("PROMETHEUS_XCSET_MANDATORY_TYPES", "counters,pod_resources_event"),
                    ],
                    SecurityContext = K8s.Privileged(),
                    Resources = Resources.For(image.ContainerResources, Container),
                    VolumeMounts =
                    [
                        K8s.Mount("doca-telemetry-service-configmap", "/configmap"),
                        K8s.Mount("pod-device-resources", "/var/lib/kubelet/pod-resources"),
                        K8s.Mount("cni", "/var/run/k8s.cni.cncf.io/devinfo/cni"),
                    ],
                },
            ],
            Volumes =
            [
                K8s.ConfigMapVolume("doca-telemetry-service-configmap", configMap),
                K8s.HostPath("pod-device-resources", "/var/lib/kubelet/pod-resources"),
                K8s.HostPath("cni", "/var/run/k8s.cni.cncf.io/devinfo/cni/", "DirectoryOrCreate"),
            ],
        };
        objects.Add(Workloads.DaemonSet(Container, ns, labels, labels, labels, pod, strategy: K8s.RollingUpdate));
        return StateObjects.Finish(Name, objects);
    }
}
