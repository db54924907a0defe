using System.Diagnostics;
using System.Globalization;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Tools.Benchmarks;

/// <summary>
/// Runs the pure state machine over a synthetic cluster held in memory (N nodes, one driver DaemonSet, its pods and
/// revisions), applying each pass's actions the way the executor and an instant DaemonSet controller would, and
/// measures the decision time of every pass. Used by <c>network-operator-tools bench-upgrade</c>; no API server involved.
/// </summary>
public sealed class SyntheticUpgrade
{
    private const string Namespace = "nvidia-network-operator";
    private const string DsName = "mofed-bench-ds";
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _podByNode = new(StringComparer.Ordinal);
    private readonly List<V1ControllerRevision> _revisions = [];
    private readonly V1DaemonSet _daemonSet;
    private readonly UpgradePolicy _policy;
    private readonly bool _oneStepPerPass;
    private string _hash = "h1";
    private int _serial;

    public SyntheticUpgrade(int nodes, UpgradePolicy policy, bool oneStepPerPass = false)
    {
        _oneStepPerPass = oneStepPerPass;
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _daemonSet = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = DsName, NamespaceProperty = Namespace, Uid = "ds" },
            Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = DsName } } },
            Status = new V1DaemonSetStatus { DesiredNumberScheduled = nodes },
        };
        AddRevision();
        for (var i = 0; i < nodes; i++)
        {
            var name = "node-" + i.ToString("D5", CultureInfo.InvariantCulture);
            _nodes[name] = new V1Node
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = new Dictionary<string, string> { [Labels.UpgradeState] = UpgradeStates.UpgradeDone },
                    Annotations = new Dictionary<string, string>(),
                },
                Spec = new V1NodeSpec(),
                Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
            };
            _podByNode[name] = NewPod(name);
        }
    }

    /// <summary>Bumps the template and runs passes until every node is upgraded again.</summary>
    public SyntheticUpgradeResult Run(int maxPasses = 100_000)
    {
        _serial++;
        _hash = "h" + (_revisions.Count + 1).ToString(CultureInfo.InvariantCulture);
        AddRevision();
        var decisionTimes = new List<TimeSpan>();
        var requests = new SyntheticRequests();
        var actions = 0;
        var maxCordoned = 0;
        var now = DateTimeOffset.UnixEpoch;
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var snapshot = new UpgradeSnapshot
            {
                Policy = PolicyIdentity.ForClusterPolicy(),
                UpgradePolicy = _policy,
                Nodes = [.. _nodes.Values],
                DaemonSets = [_daemonSet],
                DriverPods = [.. _podByNode.Values],
                ControllerRevisions = _revisions,
                Now = now,
                DrainOutcomes = _nodes.Values.Where(n => ManagedNode.StateOf(n) == UpgradeStates.DrainRequired)
                    .ToDictionary(n => n.Metadata.Name, _ => DrainOutcome.Success(0), StringComparer.Ordinal),
            };
            var started = Stopwatch.GetTimestamp();
            var plan = _oneStepPerPass ? UpgradeStateMachine.Decide(snapshot) : UpgradeStateMachine.DecideChained(snapshot);
            decisionTimes.Add(Stopwatch.GetElapsedTime(started));
            actions += plan.Actions.Count;
            requests.Count(plan);
            Apply(plan);
            maxCordoned = Math.Max(maxCordoned, _nodes.Values.Count(n => n.Spec.Unschedulable == true));
            now += TimeSpan.FromSeconds(1);
            if (plan.Actions.Count == 0)
            {
                return new SyntheticUpgradeResult(_nodes.Count, pass + 1, decisionTimes, actions, maxCordoned,
                    _nodes.Values.Count(n => ManagedNode.StateOf(n) == UpgradeStates.UpgradeDone
                        && DriverPods.RevisionHashOf(_podByNode[n.Metadata.Name]) == _hash), requests);
            }
        }

        throw new InvalidOperationException($"the synthetic upgrade did not finish within {maxPasses} passes");
    }

    private void Apply(UpgradePlan plan)
    {
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case SetNodeState set when set.State is not null:
                    _nodes[set.Node].Metadata.Labels[Labels.UpgradeState] = set.State;
                    break;
                case MarkFailed failed:
                    _nodes[failed.Node].Metadata.Labels[Labels.UpgradeState] = UpgradeStates.UpgradeFailed;
                    break;
                case SetNodeAnnotation annotation when annotation.Value is null:
                    _nodes[annotation.Node].Metadata.Annotations.Remove(annotation.Key);
                    break;
                case SetNodeAnnotation annotation:
                    _nodes[annotation.Node].Metadata.Annotations[annotation.Key] = annotation.Value!;
                    break;
                case SetNodeUnschedulable cordon:
                    _nodes[cordon.Node].Spec.Unschedulable = cordon.Unschedulable;
                    break;
                case DeleteDriverPod delete:
                    // An instant DaemonSet controller and kubelet: the replacement is there and ready at once.
                    _podByNode[delete.Node] = NewPod(delete.Node);
                    break;
            }
        }
    }

    private V1Pod NewPod(string node) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{DsName}-{node}-{_serial}", NamespaceProperty = Namespace, Uid = $"{node}-{_serial}",
            Labels = new Dictionary<string, string> { ["app"] = DsName, [Labels.ControllerRevisionHash] = _hash },
            OwnerReferences = [new V1OwnerReference { Kind = "DaemonSet", Name = DsName, Uid = "ds", Controller = true }],
        },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus { Phase = "Running", ContainerStatuses = [new V1ContainerStatus { Name = "mofed-container", Ready = true }] },
    };

    private void AddRevision() => _revisions.Add(new V1ControllerRevision
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{DsName}-{_hash}", NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { ["app"] = DsName },
        },
        Revision = _revisions.Count + 1,
    });
}

/// <summary>Figures of one synthetic upgrade.</summary>
public sealed record SyntheticUpgradeResult(int Nodes, int Passes, IReadOnlyList<TimeSpan> DecisionTimes, int Actions, int MaxCordoned, int Upgraded,
    SyntheticRequests Requests);
