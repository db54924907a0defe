namespace NetworkOperator.Api.Contract;

/// <summary>Annotation keys that are part of the drop-in contract; byte-identical to upstream.</summary>
public static class Annotations
{
    /// <summary>Hash of the desired object; an update is sent only when it differs from the live object's value.</summary>
    public const string Revision = "nvidia.network-operator.revision";

    /// <summary>On pod templates of config-bearing DaemonSets, so a config change rolls the pods.</summary>
    public const string ConfigHash = "nvidia.network-operator.config-hash";

    /// <summary>On HostDeviceNetwork NADs: the device-plugin resource the attachment needs.</summary>
    public const string NadResourceName = "k8s.v1.cni.cncf.io/resourceName";

    public const string PodNetworks = "k8s.v1.cni.cncf.io/networks";
    public const string PodNetworkStatus = "k8s.v1.cni.cncf.io/network-status";

    public const string MacvlanLastNetworkNamespace = "operator.macvlannetwork.mellanox.com/last-network-namespace";
    public const string IPoIBLastNetworkNamespace = "operator.ipoibnetwork.mellanox.com/last-network-namespace";

    // Driver upgrade node annotations.
    public const string UpgradeWaitForSafeLoad = "nvidia.com/ofed-driver-upgrade.driver-wait-for-safe-load";
    public const string UpgradeInitialStateUnschedulable = "nvidia.com/ofed-driver-upgrade.node-initial-state.unschedulable";
    public const string UpgradeWaitForPodCompletionStartTime = "nvidia.com/ofed-driver-upgrade-wait-for-pod-completion-start-time";
    public const string UpgradeValidationStartTime = "nvidia.com/ofed-driver-upgrade-validation-start-time";
    public const string UpgradeRequested = "nvidia.com/ofed-driver-upgrade-requested";
    public const string UpgradeRequestorMode = "nvidia.com/ofed-driver-upgrade-requestor-mode";

    /// <summary>Removed from nodes at every upgrade pass; written by very old releases.</summary>
    public const string LegacyUpgradeState = "nvidia.com/ofed-upgrade-state";
}
