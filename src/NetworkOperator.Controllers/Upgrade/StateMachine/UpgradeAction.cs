namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// One step the executor performs. Every action is idempotent (setting a value that is already set, deleting what is
/// gone), so re-running a pass after a crash does no harm.
/// </summary>
public abstract record UpgradeAction;

/// <summary>Sets the <c>nvidia.com/ofed-driver-upgrade-state</c> label; null removes it.</summary>
public sealed record SetNodeState(string Node, string? State) : UpgradeAction;

/// <summary>Sets a node annotation; a null value removes it.</summary>
public sealed record SetNodeAnnotation(string Node, string Key, string? Value) : UpgradeAction;

/// <summary>Sets <c>spec.unschedulable</c>.</summary>
public sealed record SetNodeUnschedulable(string Node, bool Unschedulable) : UpgradeAction;

/// <summary>Starts draining the node in the background; its outcome comes back in a later snapshot.</summary>
public sealed record StartDrain(string Node, DrainOptions Options) : UpgradeAction;

/// <summary>Deletes the driver pod (only that exact pod: the UID is a precondition) so its DaemonSet recreates it.</summary>
public sealed record DeleteDriverPod(string Node, string Namespace, string Name, string? Uid) : UpgradeAction;

/// <summary>Records a Kubernetes Event on the node or on the policy.</summary>
public sealed record RecordEvent(EventTarget Target, string? Node, bool Warning, string Reason, string Message) : UpgradeAction;

/// <summary>Puts the node in <c>upgrade-failed</c> and remembers why (events, status).</summary>
public sealed record MarkFailed(string Node, string Reason) : UpgradeAction;

public enum EventTarget
{
    Node,
    Policy,
}

/// <summary>Creates the node's NodeMaintenance (requestor mode); an existing one is left as it is.</summary>
public sealed record CreateNodeMaintenance(string Node, string Namespace, string Name, string RequestorId,
    WaitForCompletionOptions? WaitForCompletion, DrainOptions? Drain) : UpgradeAction;

/// <summary>Joins another requestor's NodeMaintenance (<c>spec.additionalRequestors</c>, optimistic lock).</summary>
public sealed record AddNodeMaintenanceRequestor(string Namespace, string Name, string RequestorId, string? ResourceVersion) : UpgradeAction;

/// <summary>Leaves another requestor's NodeMaintenance.</summary>
public sealed record RemoveNodeMaintenanceRequestor(string Namespace, string Name, string RequestorId, string? ResourceVersion) : UpgradeAction;

/// <summary>Deletes a NodeMaintenance this requestor owns: the maintenance operator then uncordons the node.</summary>
public sealed record DeleteNodeMaintenance(string Namespace, string Name) : UpgradeAction;
