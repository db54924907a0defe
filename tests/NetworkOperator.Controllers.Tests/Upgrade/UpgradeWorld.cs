using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// An in-memory cluster for the pure state machine: nodes, one driver DaemonSet with its revisions and pods, and an
/// <see cref="Apply"/> that performs actions the way the executor and the DaemonSet controller would (a deleted
/// driver pod comes back from the newest revision, not ready until <see cref="MakeDriversReady"/>).
/// </summary>
internal sealed class UpgradeWorld
{
    public const string Namespace = "nvidia-network-operator";
    public const string DsName = "mofed-ubuntu22.04-abcd1234-ds";

    private int _podCounter;

    public UpgradeWorld(int nodes, UpgradePolicy? policy = null)
    {
        Policy = policy ?? new UpgradePolicy { AutoUpgrade = true, MaxParallelUpgrades = 1, Drain = new DrainOptions() };
        DaemonSet = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = DsName, NamespaceProperty = Namespace, Uid = "ds-uid",
                Labels = new Dictionary<string, string> { [Labels.OfedDriver] = string.Empty, [Labels.DsOwner] = Labels.DsOwnerClusterPolicy },
            },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = DsName } },
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" },
            },
            Status = new V1DaemonSetStatus { DesiredNumberScheduled = nodes },
        };
        AddRevision("rev1", 1);
        for (var i = 0; i < nodes; i++)
        {
            var name = $"node-{i:D3}";
            Nodes[name] = new V1Node
            {
                // The driver runs and is ready, so the wait-label controller has written mofed.wait=false.
                Metadata = new V1ObjectMeta
                {
                    Name = name, Labels = new Dictionary<string, string> { [Labels.MofedWait] = "false" }, Annotations = new Dictionary<string, string>(),
                },
                Spec = new V1NodeSpec(),
                Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
            };
            Pods.Add(NewDriverPod(name, "rev1", ready: true));
        }
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public UpgradePolicy Policy { get; set; }

    public PolicyIdentity Identity { get; } = PolicyIdentity.ForClusterPolicy();

    public V1DaemonSet DaemonSet { get; }

    public SortedDictionary<string, V1Node> Nodes { get; } = new(StringComparer.Ordinal);

    public List<V1Pod> Pods { get; } = [];

    public List<V1ControllerRevision> Revisions { get; } = [];

    public List<V1Pod> Workloads { get; } = [];

    public Dictionary<string, string?> DrainsInFlight { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DrainOutcome> DrainOutcomes { get; } = new(StringComparer.Ordinal);

    public List<UpgradeAction> Executed { get; } = [];

    /// <summary>Requestor mode when set; <see cref="NodeMaintenances"/> then plays the maintenance operator's objects.</summary>
    public MaintenanceOptions? Maintenance { get; set; }

    public List<NodeMaintenanceInfo> NodeMaintenances { get; } = [];

    public string CurrentHash { get; private set; } = "rev1";

    /// <summary>Bumps the DaemonSet template: a new newest ControllerRevision; existing pods fall out of sync.</summary>
    public void BumpTemplate(string hash = "rev2")
    {
        AddRevision(hash, (Revisions.Max(r => r.Revision) ?? 0) + 1);
        CurrentHash = hash;
    }

    public UpgradeSnapshot Snapshot() => new()
    {
        Policy = Identity,
        UpgradePolicy = Policy,
        Nodes = [.. Nodes.Values],
        DaemonSets = [DaemonSet],
        DriverPods = [.. Pods],
        ControllerRevisions = [.. Revisions],
        WaitForCompletionPods = [.. Workloads],
        Now = Clock.GetUtcNow(),
        DrainsInFlight = new Dictionary<string, string?>(DrainsInFlight),
        DrainOutcomes = new Dictionary<string, DrainOutcome>(DrainOutcomes),
        Maintenance = Maintenance,
        NodeMaintenances = [.. NodeMaintenances],
    };

    /// <summary>Decide as the executor does (<see cref="UpgradeStateMachine.DecideChained"/>) instead of one step per pass.</summary>
    public bool Chained { get; set; }

    public UpgradePlan Decide() => Chained ? UpgradeStateMachine.DecideChained(Snapshot()) : UpgradeStateMachine.Decide(Snapshot());

    /// <summary>Decides and applies one pass; drains started in it complete at once with <paramref name="drainResult"/>.</summary>
    public UpgradePlan Step(DrainOutcome? drainResult = null)
    {
        var plan = Decide();
        Apply(plan, drainResult ?? DrainOutcome.Success(0));
        return plan;
    }

    /// <summary>Runs passes until nothing changes (or <paramref name="maxPasses"/>), making new driver pods ready each pass.</summary>
    public int RunToQuiescence(int maxPasses = 200, Action<UpgradeWorld>? afterPass = null)
    {
        for (var pass = 1; pass <= maxPasses; pass++)
        {
            var plan = Step();
            MakeDriversReady();
            afterPass?.Invoke(this);
            if (plan.Actions.Count == 0 && plan.Stalled is null)
            {
                return pass;
            }
        }

        throw new InvalidOperationException($"no quiescence after {maxPasses} passes");
    }

    public void Apply(UpgradePlan plan, DrainOutcome drainResult)
    {
        foreach (var action in plan.Actions)
        {
            Executed.Add(action);
            switch (action)
            {
                case SetNodeState s:
                    DrainOutcomes.Remove(s.Node);
                    if (s.State is null)
                    {
                        Nodes[s.Node].Metadata.Labels.Remove(Labels.UpgradeState);
                    }
                    else
                    {
                        Nodes[s.Node].Metadata.Labels[Labels.UpgradeState] = s.State;
                    }

                    break;
                case MarkFailed f:
                    DrainOutcomes.Remove(f.Node);
                    Nodes[f.Node].Metadata.Labels[Labels.UpgradeState] = UpgradeStates.UpgradeFailed;
                    break;
                case SetNodeAnnotation a:
                    if (a.Value is null)
                    {
                        Nodes[a.Node].Metadata.Annotations.Remove(a.Key);
                    }
                    else
                    {
                        Nodes[a.Node].Metadata.Annotations[a.Key] = a.Value;
                    }

                    break;
                case SetNodeUnschedulable u:
                    Nodes[u.Node].Spec.Unschedulable = u.Unschedulable;
                    break;
                case StartDrain d:
                    if (DrainsInFlight.ContainsKey(d.Node))
                    {
                        throw new InvalidOperationException($"node {d.Node} drained twice at once");
                    }

                    DrainOutcomes[d.Node] = drainResult;
                    break;
                case CreateNodeMaintenance c:
                    if (NodeMaintenances.Any(m => m.Name == c.Name))
                    {
                        throw new InvalidOperationException($"NodeMaintenance {c.Name} created twice");
                    }

                    NodeMaintenances.Add(new NodeMaintenanceInfo(c.Namespace, c.Name, c.Node, c.RequestorId, [], false, false, "1"));
                    break;
                case AddNodeMaintenanceRequestor add:
                    ReplaceMaintenance(add.Name, m => m with { AdditionalRequestors = [.. m.AdditionalRequestors, add.RequestorId] });
                    break;
                case RemoveNodeMaintenanceRequestor remove:
                    ReplaceMaintenance(remove.Name, m => m with { AdditionalRequestors = [.. m.AdditionalRequestors.Where(r => r != remove.RequestorId)] });
                    break;
                case DeleteNodeMaintenance delete:
                    NodeMaintenances.RemoveAll(m => m.Name == delete.Name);
                    break;
                case DeleteDriverPod p:
                    var pod = Pods.Single(x => x.Metadata.Name == p.Name);
                    Pods.Remove(pod);
                    if (!DriverPods.IsOrphaned(pod) || !Pods.Any(x => x.Spec.NodeName == p.Node))
                    {
                        Pods.Add(NewDriverPod(p.Node, CurrentHash, ready: false));
                    }

                    break;
            }
        }
    }

    /// <summary>What the maintenance operator does: cordon the node (and drain it), then report Ready.</summary>
    public void MakeMaintenanceReady(string node)
    {
        Nodes[node].Spec.Unschedulable = true;
        ReplaceMaintenance(NodeMaintenances.Single(m => m.NodeName == node).Name, m => m with { Ready = true });
    }

    private void ReplaceMaintenance(string name, Func<NodeMaintenanceInfo, NodeMaintenanceInfo> change)
    {
        var index = NodeMaintenances.FindIndex(m => m.Name == name);
        NodeMaintenances[index] = change(NodeMaintenances[index]);
    }

    public void MakeDriversReady()
    {
        foreach (var pod in Pods)
        {
            SetReady(pod, true, 0);
        }
    }

    public V1Pod DriverPodOn(string node) => Pods.Single(p => p.Spec.NodeName == node);

    public string StateOf(string node) => Nodes[node].Metadata.Labels.TryGetValue(Labels.UpgradeState, out var s) ? s : UpgradeStates.Unknown;

    public void SetState(string node, string state) => Nodes[node].Metadata.Labels[Labels.UpgradeState] = state;

    public void SetAllStates(string state)
    {
        foreach (var node in Nodes.Keys)
        {
            SetState(node, state);
        }
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public V1Pod AddWorkload(string node, string name, string phase, Dictionary<string, string> labels)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels },
            Spec = new V1PodSpec { NodeName = node },
            Status = new V1PodStatus { Phase = phase },
        };
        Workloads.Add(pod);
        return pod;
    }

    public static void SetReady(V1Pod pod, bool ready, int restarts)
    {
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "mofed-container", Ready = ready, RestartCount = restarts }];
    }

    public V1Pod NewDriverPod(string node, string hash, bool ready, bool orphan = false)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{DsName}-{++_podCounter:D5}",
                NamespaceProperty = Namespace,
                Uid = "pod-uid-" + _podCounter.ToString(CultureInfo.InvariantCulture),
                Labels = new Dictionary<string, string>
                {
                    ["app"] = DsName, [Labels.OfedDriver] = string.Empty, [Labels.DsOwner] = Labels.DsOwnerClusterPolicy,
                    [Labels.ControllerRevisionHash] = hash,
                },
                OwnerReferences = orphan ? null :
                [
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = DsName, Uid = "ds-uid", Controller = true },
                ],
            },
            Spec = new V1PodSpec { NodeName = node },
            Status = new V1PodStatus { Phase = "Pending" },
        };
        SetReady(pod, ready, 0);
        if (!ready)
        {
            pod.Status.Phase = "Pending";
        }

        return pod;
    }

    private void AddRevision(string hash, long revision) => Revisions.Add(new V1ControllerRevision
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{DsName}-{hash}", NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { ["app"] = DsName, [Labels.ControllerRevisionHash] = hash },
        },
        Revision = revision,
    });
}
