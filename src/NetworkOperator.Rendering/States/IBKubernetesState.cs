using System.Globalization;
using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-ib-kubernetes</c>: the ib-kubernetes Deployment that programs InfiniBand partition keys through UFM.</summary>
public sealed class IBKubernetesState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.ibKubernetes";
    public const string Container = "ib-kubernetes";
    public const int DefaultPeriodicUpdateSeconds = 5;

    public string Name => StateNames.IBKubernetes;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, StateKinds.ClusterRole, StateKinds.ClusterRoleBinding, .. StateKinds.OpenShiftScc, StateKinds.Deployment];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.IBKubernetes is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.IBKubernetes!;
        var image = ResolvedImage.Resolve(spec, policy.Spec.Global, Field);
        if (string.IsNullOrEmpty(spec.UfmSecret))
        {
            throw new RenderException("is required: the Secret with the UFM address and credentials", Field + ".ufmSecret");
        }

        var ns = facts.OperatorNamespace;
        var objects = new List<IKubernetesObject<V1ObjectMeta>> { K8s.ServiceAccount(Container, ns) };
        if (facts.IsOpenShift)
        {
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(Container, ns, Container));
        }

        objects.Add(K8s.ClusterRole(
            Container,
            K8s.Rule([string.Empty], ["pods"], ["get", "list", "patch", "watch"]),
            K8s.Rule(["k8s.cni.cncf.io"], ["network-attachment-definitions"], ["get", "list", "watch"]),
            K8s.Rule(["coordination.k8s.io"], ["leases"], ["get", "list", "create", "update", "patch", "watch"]),
            K8s.Rule([string.Empty], ["events"], ["create"])));
        objects.Add(K8s.ClusterRoleBinding(Container, Container, Container, ns));

        var podLabels = K8s.Map(("name", Container), ("component", "network"), ("type", "infra"), ("kubernetes.io/os", "linux"));
        var pod = new V1PodSpec
        {
            PriorityClassName = "system-cluster-critical",
            HostNetwork = true,
            ServiceAccountName = Container,
            Affinity = new V1Affinity { NodeAffinity = Affinities.ControlPlanePreferred(policy.Spec.DeploymentNodeAffinity) },
            Tolerations = Affinities.ControlPlaneTolerations(policy.Spec.DeploymentTolerations),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    Command = ["/ib-kubernetes"],
                    Env =
                    [
                        K8s.FieldEnv("K8S_NODE", "spec.nodeName"),
                        K8s.FieldEnv("POD_NAMESPACE", "metadata.namespace"),
                        K8s.FieldEnv("POD_UID", "metadata.uid"),
                        K8s.Env("DAEMON_SM_PLUGIN", "ufm"),
                        K8s.Env("DAEMON_PERIODIC_UPDATE", (spec.PeriodicUpdateSeconds ?? DefaultPeriodicUpdateSeconds).ToString(CultureInfo.InvariantCulture)),
                        K8s.Env("GUID_POOL_RANGE_START", spec.PKeyGuidPoolRangeStart ?? string.Empty),
                        K8s.Env("GUID_POOL_RANGE_END", spec.PKeyGuidPoolRangeEnd ?? string.Empty),
                        K8s.SecretEnv("UFM_USERNAME", spec.UfmSecret, "UFM_USERNAME", optional: false),
                        K8s.SecretEnv("UFM_PASSWORD", spec.UfmSecret, "UFM_PASSWORD", optional: false),
                        K8s.SecretEnv("UFM_ADDRESS", spec.UfmSecret, "UFM_ADDRESS", optional: false),
                        K8s.SecretEnv("UFM_HTTP_SCHEMA", spec.UfmSecret, "UFM_HTTP_SCHEMA", optional: true),
                        K8s.SecretEnv("UFM_PORT", spec.UfmSecret, "UFM_PORT", optional: true),
                        K8s.SecretEnv("UFM_CERTIFICATE", spec.UfmSecret, "UFM_CERTIFICATE", optional: true),
                    ],
                    Resources = Resources.For(image.ContainerResources, Container, Resources.Of(("100m", "300Mi"), null)),
                },
            ],
        };
        var deployment = Workloads.Deployment(Container, ns, K8s.Map(("name", Container)), K8s.Map(("name", Container)), podLabels, pod, 1, new V1DeploymentStrategy { Type = "Recreate" });
        deployment.Spec.ProgressDeadlineSeconds = 600;
        objects.Add(deployment);
        return StateObjects.Finish(Name, objects);
    }
}
