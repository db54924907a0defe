using k8s.Models;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Cluster;

/// <summary>Settings of a <see cref="SimulatedCluster"/>.</summary>
public sealed class SimulatedClusterOptions
{
    /// <summary>The API server's settings (port, clock, watch history). Graceful pod deletion is always switched on.</summary>
    public SimulatedApiServerOptions Server { get; set; } = new();

    /// <summary>Nodes to register; when null, <see cref="NodesFile"/> is read, else <see cref="NodeCount"/> nodes are generated.</summary>
    public IReadOnlyList<V1Node>? Nodes { get; set; }

    /// <summary>A node inventory (as <c>kubectl get nodes -o yaml</c> prints it).</summary>
    public string? NodesFile { get; set; }

    public int NodeCount { get; set; } = 3;

    /// <summary>
    /// Runs the cluster as OpenShift: ClusterVersion, the cluster Proxy, the Driver Toolkit ImageStream and the
    /// privileged SecurityContextConstraints are served, trusted CA bundles are injected, and generated nodes are RHCOS
    /// workers (<see cref="NodePool.OpenShift"/>) unless <see cref="SyntheticNodeOptions.Pools"/> was set to other pools.
    /// </summary>
    public bool OpenShift { get; set; }

    /// <summary>Shape of generated nodes (the count comes from <see cref="NodeCount"/>).</summary>
    public SyntheticNodeOptions SyntheticNodes { get; set; } = new();

    /// <summary>Time from a pod being bound to its containers being Ready; zero starts pods at once.</summary>
    public TimeSpan KubeletDelay { get; set; }

    /// <summary>Per-node start delays overriding <see cref="KubeletDelay"/>.</summary>
    public IDictionary<string, TimeSpan> NodeKubeletDelays { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>How long containers take to stop after a graceful delete (capped by the pod's grace period).</summary>
    public TimeSpan ContainerStopDelay { get; set; }

    /// <summary>First CrashLoopBackOff delay; it doubles per restart up to five minutes (10 s on a real kubelet).</summary>
    public TimeSpan CrashLoopBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Crash rules applied at container start; more can be added at run time through <see cref="SimulatedCluster.AddFailure"/>.</summary>
    public IList<FailureOverride> Failures { get; } = [];

    /// <summary>
    /// Images no registry serves: a container whose image contains one of these strings never starts; its pod stays
    /// Pending with the container waiting in <c>ImagePullBackOff</c> and <c>Failed</c>/<c>BackOff</c> Events, as when a
    /// tag does not exist. More can be added at run time through <see cref="SimulatedCluster.AddUnpullableImage"/>.
    /// </summary>
    public IList<string> UnpullableImages { get; } = [];

    /// <summary>
    /// What the containers of a pod that runs to completion (restartPolicy Never or OnFailure, as Jobs' pods) do: called
    /// once per container when the pod starts, returning its exit code. Null: they exit 0 at once, unless a
    /// <see cref="Failures"/> rule matches them (exit code 1).
    /// </summary>
    public Func<V1Pod, V1Container, CancellationToken, Task<int>>? ContainerCommand { get; set; }

    /// <summary>Devices each SR-IOV device plugin resource advertises on a node.</summary>
    public int SriovDeviceCount { get; set; } = 8;

    /// <summary>Creates a Lease per node in kube-node-lease at start, as kubelets do.</summary>
    public bool NodeLeases { get; set; } = true;

    /// <summary>When set, node Ready conditions and leases are renewed at this interval.</summary>
    public TimeSpan? NodeHeartbeatInterval { get; set; }

    /// <summary>How often the pod garbage collector looks for pods on deleted nodes (kube-controller-manager: 20 s).</summary>
    public TimeSpan PodGarbageCollectionPeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a node must have been missing before its pods are force-deleted (kube-controller-manager: 40 s).</summary>
    public TimeSpan PodGarbageCollectionQuarantine { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Parallel workers per controller.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>
    /// CNI binaries a Ready pod installs on its node, by container image name (last path segment, no tag). A pod is
    /// attached to a secondary network only when its node has <c>multus</c>, the NAD's plugin types and its IPAM type.
    /// Defaults to the upstream component images (multus-cni, plugins, whereabouts, nvidia-k8s-ipam, ipoib-cni, ...).
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> CniBinariesByImage { get; } =
        new Dictionary<string, IReadOnlyList<string>>(DataPlane.CniBinaries.Defaults(), StringComparer.Ordinal);

    /// <summary>How long a pod that cannot start (missing NAD or ConfigMap) waits before the kubelet retries.</summary>
    public TimeSpan SandboxRetryInterval { get; set; } = TimeSpan.FromSeconds(2);
}
