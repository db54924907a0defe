using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>A node running one of the policy's driver pods, with what the state machine derived about it.</summary>
public sealed record ManagedNode(V1Node Node, V1Pod DriverPod, V1DaemonSet? DaemonSet, string State, bool InSync)
{
    public string Name => Node.Metadata.Name;

    public bool Orphaned => DaemonSet is null;

    public bool Unschedulable => Node.Spec?.Unschedulable == true;

    public bool IsReadyCondition =>
        Node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public string? Annotation(string key) =>
        Node.Metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    public string? Label(string key) =>
        Node.Metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public bool SkipRequested => Label(Labels.UpgradeSkip) == "true";

    public bool UpgradeRequested => Annotation(Annotations.UpgradeRequested) == "true";

    /// <summary>Any non-empty value: the driver's init container waits for the operator before loading.</summary>
    public bool WaitingForSafeLoad => !string.IsNullOrEmpty(Annotation(Annotations.UpgradeWaitForSafeLoad));

    public bool WasUnschedulableBeforeUpgrade => Annotation(Annotations.UpgradeInitialStateUnschedulable) == "true";

    public bool InRequestorMode => Annotation(Annotations.UpgradeRequestorMode) == "true";

    /// <summary>In sync with the newest revision, running and every container ready.</summary>
    public bool DriverReady => InSync && DriverPods.IsReady(DriverPod);

    /// <summary>The label value as stored; unrecognised values are treated as unknown by the state machine.</summary>
    public static string StateOf(V1Node node)
    {
        var value = node.Metadata.Labels is { } labels && labels.TryGetValue(Labels.UpgradeState, out var state) ? state : null;
        return UpgradeStates.IsKnown(value) ? value! : UpgradeStates.Unknown;
    }
}
