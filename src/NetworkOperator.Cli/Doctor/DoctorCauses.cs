namespace NetworkOperator.Cli.Doctor;

/// <summary>
/// The causes <c>doctor</c> recognises, in rank order: what the operator needs before anything else comes first,
/// then the driver, the components' pods, upgrades, networks, and finally readiness not explained by any of these.
/// The identifiers are part of the <c>-o json</c> schema and never change meaning.
/// </summary>
internal static class DoctorCauses
{
    public const string CannotRead = "cannotRead";
    public const string CrdsMissing = "crdsMissing";
    public const string OperatorNotRunning = "operatorNotRunning";
    public const string NoPolicy = "noPolicy";
    public const string PolicyError = "policyError";
    public const string RbacRefused = "rbacRefused";
    public const string KindNotServed = "kindNotServed";
    public const string PodSecurityRefused = "podSecurityRefused";
    public const string QuotaRefused = "quotaRefused";
    public const string NfdLabelsMissing = "nfdLabelsMissing";
    public const string NodeNotReady = "nodeNotReady";
    public const string NoDriverImage = "noDriverImage";
    public const string ImagePullFailed = "imagePullFailed";
    public const string PodPending = "podPending";
    public const string PodFailing = "podFailing";
    public const string MofedWaitStuck = "mofedWaitStuck";
    public const string UpgradeBlockedByBudget = "upgradeBlockedByDisruptionBudget";
    public const string UpgradeBlockedByUnmanagedPod = "upgradeBlockedByUnmanagedPod";
    public const string UpgradeFailed = "upgradeFailed";
    public const string UpgradeWaiting = "upgradeWaiting";
    public const string NetworkNamespaceMissing = "networkNamespaceMissing";
    public const string NetworkPluginMissing = "networkPluginMissing";
    public const string NetworkNotReady = "networkNotReady";
    public const string ComponentNotReady = "componentNotReady";

    public static readonly IReadOnlyList<string> Order =
    [
        CannotRead, CrdsMissing, OperatorNotRunning, NoPolicy, PolicyError, RbacRefused, KindNotServed, PodSecurityRefused, QuotaRefused, NfdLabelsMissing,
        NodeNotReady, NoDriverImage, ImagePullFailed, PodPending, PodFailing, MofedWaitStuck, UpgradeBlockedByBudget,
        UpgradeBlockedByUnmanagedPod, UpgradeFailed, UpgradeWaiting, NetworkNamespaceMissing, NetworkPluginMissing, NetworkNotReady, ComponentNotReady,
    ];
}
