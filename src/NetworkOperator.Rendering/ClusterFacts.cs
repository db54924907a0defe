using k8s.Models;
using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Rendering;

/// <summary>
/// Everything about the cluster a renderer may look at. Rendering is a pure function of (policy, facts): the
/// controller gathers the facts (nodes, ConfigMap keys, ImageStream tags, proxy) and the render command fakes them.
/// </summary>
public sealed record ClusterFacts
{
    public const string DefaultOperatorNamespace = "nvidia-network-operator";
    public const string DefaultCniBinDirectory = "/opt/cni/bin";
    public const string OpenShiftCniBinDirectory = "/var/lib/cni/bin";
    public const string DefaultCniNetworkDirectory = "/etc/cni/net.d";

    private readonly string? _cniBinDirectory;
    private readonly string? _cniNetworkDirectory;

    public ClusterType ClusterType { get; init; } = ClusterType.Kubernetes;

    public bool IsOpenShift => ClusterType == ClusterType.OpenShift;

    /// <summary>Every node of the cluster with its labels and taints; renderers filter what they need.</summary>
    public IReadOnlyList<V1Node> Nodes { get; init; } = [];

    /// <summary>Namespace of every namespaced object the policies render (<c>POD_NAMESPACE</c>).</summary>
    public string OperatorNamespace { get; init; } = DefaultOperatorNamespace;

    /// <summary>Host CNI binary directory (<c>CNI_BIN_DIR</c>); defaults differ between OpenShift and vanilla Kubernetes.</summary>
    public string CniBinDirectory
    {
        get => _cniBinDirectory ?? (IsOpenShift ? OpenShiftCniBinDirectory : DefaultCniBinDirectory);
        init => _cniBinDirectory = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Host CNI configuration directory (<c>CNI_NETWORK_DIR</c>).</summary>
    public string CniNetworkDirectory
    {
        get => _cniNetworkDirectory ?? DefaultCniNetworkDirectory;
        init => _cniNetworkDirectory = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Image of the OFED init container (<c>OFED_INIT_CONTAINER_IMAGE</c>); null disables the init container.</summary>
    public string? OfedInitContainerImage { get; init; }

    /// <summary>Whether OpenShift clusters build the driver with the Driver Toolkit sidecar (<c>USE_DTK</c>, default true).</summary>
    public bool UseDriverToolkit { get; init; } = true;

    /// <summary>
    /// Image per RHCOS build: the tags of ImageStream <c>openshift/driver-toolkit</c> (tag name = OSTREE_VERSION label,
    /// value = <c>from.name</c>). Only consulted on OpenShift when the driver toolkit is used.
    /// </summary>
    public IReadOnlyDictionary<string, string> DriverToolkitImages { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Keys of ConfigMaps in the operator namespace, by ConfigMap name. The driver mounts cert/repo ConfigMaps key by
    /// key, so it needs to know the keys; a name missing here is reported as a missing ConfigMap.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ConfigMapKeys { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>OpenShift's cluster-wide proxy (<c>config.openshift.io/v1 Proxy cluster</c>), when there is one.</summary>
    public ClusterProxy? Proxy { get; init; }

    /// <summary>Precompiled driver tag lookup; null means "never look up" (every pool builds from source).</summary>
    public IPrecompiledTagLister? PrecompiledTags { get; init; }

    /// <summary>Reads the operator's environment variables (<c>POD_NAMESPACE</c>, <c>CNI_BIN_DIR</c>, ...); unset ones keep defaults.</summary>
    public static ClusterFacts FromEnvironment(Func<string, string?> getVariable, ClusterType clusterType, IReadOnlyList<V1Node>? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var ns = getVariable("POD_NAMESPACE");
        var useDtk = getVariable("USE_DTK");
        return new ClusterFacts
        {
            ClusterType = clusterType,
            Nodes = nodes ?? [],
            OperatorNamespace = string.IsNullOrEmpty(ns) ? DefaultOperatorNamespace : ns,
            CniBinDirectory = getVariable("CNI_BIN_DIR") ?? string.Empty,
            CniNetworkDirectory = getVariable("CNI_NETWORK_DIR") ?? string.Empty,
            OfedInitContainerImage = string.IsNullOrEmpty(getVariable("OFED_INIT_CONTAINER_IMAGE")) ? null : getVariable("OFED_INIT_CONTAINER_IMAGE"),
            UseDriverToolkit = string.IsNullOrEmpty(useDtk) || !bool.TryParse(useDtk, out var parsed) || parsed,
        };
    }
}

/// <summary>The parts of OpenShift's cluster proxy the driver container needs.</summary>
public sealed record ClusterProxy(string? HttpsProxy, string? HttpProxy, string? NoProxy, string? TrustedCaConfigMap = null);
