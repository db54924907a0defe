using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Cli.Doctor;

/// <summary>
/// The diagnosis: pure functions from a <see cref="ClusterSnapshot"/> to ranked <see cref="Finding"/>s. Each check
/// reads what a careful admin would read with kubectl (statuses, pod states, Events, labels) and says what to change.
/// Findings about many pods of one component with the same cause are one finding listing the nodes.
/// </summary>
internal static partial class DoctorChecks
{
    private const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";

    public static IReadOnlyList<Finding> Run(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var findings = new List<Finding>();
        foreach (var refused in snapshot.Unreadable)
        {
            findings.Add(new Finding(DoctorCauses.CannotRead, Finding.Warning, refused, $"could not read {refused}; checks that need it were skipped",
                "grant the reads listed in docs/troubleshooting.md (\"RBAC for doctor\") to the user running doctor"));
        }

        if (!snapshot.CrdsInstalled)
        {
            findings.Add(new Finding(DoctorCauses.CrdsMissing, Finding.Error, "CustomResourceDefinition nicclusterpolicies.mellanox.com",
                "the cluster does not serve the mellanox.com/v1alpha1 kinds: the operator's CRDs are not installed",
                "install the chart (it installs the CRDs) or run `network-operator crds --output-dir crds && kubectl apply -f crds`"));
            return Ranked(findings);
        }

        var context = new Context(snapshot);
        CheckOperator(context, findings);
        CheckPolicies(context, findings);
        CheckRefusedPods(context, findings);
        CheckNfd(context, findings);
        CheckNodes(context, findings);
        CheckPods(context, findings);
        CheckDaemonSetCoverage(context, findings);
        CheckMofedWait(context, findings);
        CheckUpgrades(context, findings);
        CheckNetworks(context, findings);
        CheckUnexplainedComponents(context, findings);
        return Ranked(findings);
    }

    private static List<Finding> Ranked(List<Finding> findings)
    {
        var ordered = findings
            .OrderBy(f => IndexOf(f.Cause))
            .ThenBy(f => f.Severity == Finding.Error ? 0 : 1)
            .ThenBy(f => f.Object, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        return [.. ordered.Select((f, i) => f with { Rank = i + 1 })];
    }

    private static int IndexOf(string cause)
    {
        for (var i = 0; i < DoctorCauses.Order.Count; i++)
        {
            if (DoctorCauses.Order[i] == cause)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static void CheckOperator(Context c, List<Finding> findings)
    {
        var deployment = c.Snapshot.Deployments.FirstOrDefault(d =>
            d.Arr("spec", "template", "spec", "containers").Any(x => x.Str("name") == "network-operator"));
        var stale = c.Snapshot.ClusterPolicies.Concat(c.Snapshot.NodePolicies).Where(p => p.Str("status", "state") is null).ToList();
        if (deployment is null)
        {
            if (stale.Count > 0)
            {
                findings.Add(new Finding(DoctorCauses.OperatorNotRunning, Finding.Error, $"Namespace {c.Snapshot.OperatorNamespace}",
                    $"no network-operator Deployment in namespace {c.Snapshot.OperatorNamespace} and {string.Join(", ", stale.Select(p => p.Ref()))} has no status: nothing reconciles the policies",
                    "install the chart, or pass the namespace the operator runs in with -n"));
            }

            return;
        }

        if (deployment.Num("status", "availableReplicas") > 0)
        {
            return;
        }

        var pods = c.PodsOfDeployment(deployment).ToList();
        var why = pods.Select(PodProblem).FirstOrDefault(p => p is not null) ?? "no available replica";
        findings.Add(new Finding(DoctorCauses.OperatorNotRunning, Finding.Error, deployment.Ref(), $"the operator has no available replica: {why}",
            $"kubectl -n {c.Snapshot.OperatorNamespace} describe deployment {deployment.Name()}; the operator's log: kubectl -n {c.Snapshot.OperatorNamespace} logs deployment/{deployment.Name()}"));
    }

    // Overlapping NicNodePolicies are not a field to correct in one object: the fix is to make the selectors disjoint.
    private static string PolicyErrorFix(JsonObject policy) =>
        policy.Str("status", "reason")?.StartsWith("node selector overlap detected", StringComparison.Ordinal) == true
            ? $"make the nodeSelectors of the NicNodePolicies named in the reason select different nodes (kubectl edit nicnodepolicy {policy.Name()}); until then none of them is reconciled"
            : "correct the field the reason names";

    private static void CheckPolicies(Context c, List<Finding> findings)
    {
        if (c.Snapshot.ClusterPolicies.Count == 0 && c.Snapshot.NodePolicies.Count == 0)
        {
            findings.Add(new Finding(DoctorCauses.NoPolicy, Finding.Warning, "NicClusterPolicy nic-cluster-policy",
                "no NicClusterPolicy or NicNodePolicy: the operator deploys nothing",
                "kubectl apply -f a NicClusterPolicy named nic-cluster-policy (examples/nicclusterpolicy-full.yaml)"));
        }

        foreach (var policy in c.Snapshot.ClusterPolicies.Concat(c.Snapshot.NodePolicies))
        {
            var state = policy.Str("status", "state");
            if (state is "ignore" or "error")
            {
                findings.Add(new Finding(DoctorCauses.PolicyError, Finding.Error, policy.Ref(),
                    $"state {state}: {policy.Str("status", "reason") ?? "no reason given"}",
                    state == "ignore" ? "the operator acts on one NicClusterPolicy named nic-cluster-policy, and on NicNodePolicies whose node selectors do not overlap: rename or fix the selectors"
                        : PolicyErrorFix(policy)));
            }

            foreach (var applied in policy.Arr("status", "appliedStates"))
            {
                var message = applied.Str("message") ?? string.Empty;
                // The server's own words ("... is forbidden: User ... cannot create ...") or the operator's summary ("403 Forbidden").
                if (message.Contains(" is forbidden", StringComparison.Ordinal) || message.Contains("403 Forbidden", StringComparison.Ordinal))
                {
                    findings.Add(new Finding(DoctorCauses.RbacRefused, Finding.Error, policy.Ref(), $"{applied.Str("name")}: {message}",
                        $"the API server refused the operator's write: its ServiceAccount's ClusterRole lacks a verb; re-apply the chart's ClusterRole (rules of rbac-requirements.yaml), then `kubectl auth can-i --list --as system:serviceaccount:{c.Snapshot.OperatorNamespace}:network-operator` shows what it holds")
                    {
                        Component = applied.Str("name"),
                    });
                }
                else if (NotServed().Match(message) is { Success: true } missing)
                {
                    findings.Add(new Finding(DoctorCauses.KindNotServed, Finding.Error, policy.Ref(), $"{applied.Str("name")}: {message}",
                        KindNotServedFix(missing.Groups["group"].Value, missing.Groups["kind"].Value))
                    {
                        Component = applied.Str("name"),
                    });
                }
            }
        }
    }

    // The component needs objects of a kind another project's CRDs define; today that is cert-manager for nv-ipam's webhook.
    private static string KindNotServedFix(string group, string kind) => group == "cert-manager.io"
        ? "install cert-manager (its CRDs and controller): it issues the serving certificate of nv-ipam's webhook; or run nv-ipam " +
          "without the webhook: spec.nvIpam.enableWebhook: false"
        : $"install the CustomResourceDefinition of {kind} ({group}) and the controller that acts on it";

    private static void CheckRefusedPods(Context c, List<Finding> findings)
    {
        var workloads = c.Snapshot.DaemonSets.Concat(c.Snapshot.ReplicaSets).Where(MissingPods);
        foreach (var workload in workloads)
        {
            var refusal = c.LatestEvent(workload, "FailedCreate");
            if (refusal is null)
            {
                continue;
            }

            var message = refusal.Str("message") ?? string.Empty;
            var owner = c.TopOwner(workload);
            if (message.Contains("violates PodSecurity", StringComparison.Ordinal))
            {
                var ns = workload.Namespace() ?? c.Snapshot.OperatorNamespace;
                findings.Add(new Finding(DoctorCauses.PodSecurityRefused, Finding.Error, owner.Ref(), message,
                    $"the namespace's Pod Security level refuses the component's privileged pods: kubectl label namespace {ns} pod-security.kubernetes.io/enforce=privileged --overwrite")
                {
                    Component = Context.StateOf(owner),
                });
            }
            else if (QuotaRefusal().Match(message) is { Success: true } quota)
            {
                var ns = workload.Namespace() ?? c.Snapshot.OperatorNamespace;
                var name = quota.Groups["name"].Value;
                var fix = quota.Groups["kind"].Value == "exceeded"
                    ? $"the ResourceQuota {name} in namespace {ns} is used up: raise its limits (kubectl -n {ns} edit resourcequota {name}) or remove it; " +
                      "each DaemonSet component needs one pod per selected node"
                    : $"the ResourceQuota {name} in namespace {ns} tracks CPU or memory, so every container must state them: set the component's " +
                      $"containerResources in the policy, or give namespace {ns} a LimitRange with default requests and limits";
                findings.Add(new Finding(DoctorCauses.QuotaRefused, Finding.Error, owner.Ref(), message, fix)
                {
                    Component = Context.StateOf(owner),
                });
            }
            else if (message.Contains("forbidden", StringComparison.Ordinal))
            {
                findings.Add(new Finding(DoctorCauses.RbacRefused, Finding.Error, owner.Ref(), message,
                    "the API server refused the component's pods (RBAC, ServiceAccount or an admission policy, as the message says): grant or change what it names")
                {
                    Component = Context.StateOf(owner),
                });
            }
        }
    }

    private static bool MissingPods(JsonObject workload) => workload.Str("kind") == "DaemonSet"
        ? workload.Num("status", "currentNumberScheduled") < workload.Num("status", "desiredNumberScheduled")
        : workload.Num("status", "replicas") < workload.Num("spec", "replicas");

    private static void CheckNfd(Context c, List<Finding> findings)
    {
        if (c.Snapshot.ClusterPolicies.Count == 0 && c.Snapshot.NodePolicies.Count == 0)
        {
            return;
        }

        if (c.NicNodes.Count == 0)
        {
            var hasRule = c.Snapshot.NodeFeatureRules.Any(r => r.ToJsonString().Contains("pci-15b3", StringComparison.Ordinal) ||
                                                               r.ToJsonString().Contains("15b3", StringComparison.Ordinal));
            var fix = !c.Snapshot.NodeFeatureRulesServed
                ? "install Node Feature Discovery (the chart's nfd.enabled=true) and its NodeFeatureRule nvidia-nics-rules (nfd.deployNodeFeatureRules=true)"
                : !hasRule
                    ? "create the NodeFeatureRule that labels Mellanox NICs (the chart's nfd.deployNodeFeatureRules=true deploys nvidia-nics-rules)"
                    : "NFD has the rule but labelled no node: check that NFD's worker pods run on the NIC nodes and that the NICs are PCI vendor 15b3";
            findings.Add(new Finding(DoctorCauses.NfdLabelsMissing, Finding.Error, "Nodes",
                $"no node carries {Labels.NicPresent}=true ({c.Snapshot.Nodes.Count} nodes): the operator places no driver or component pod",
                fix));
            return;
        }

        if (!c.DriverEnabled)
        {
            return;
        }

        var incomplete = c.NicNodes
            .Select(n => (Node: n, Missing: new[] { Labels.OsReleaseId, Labels.OsReleaseVersionId, Labels.KernelVersionFull }
                .Where(l => !n.Map("metadata", "labels").ContainsKey(l)).ToList()))
            .Where(x => x.Missing.Count > 0)
            .ToList();
        foreach (var group in incomplete.GroupBy(x => string.Join(", ", x.Missing), StringComparer.Ordinal))
        {
            findings.Add(new Finding(DoctorCauses.NfdLabelsMissing, Finding.Error, "Nodes",
                $"NIC nodes without NFD's {group.Key}: no driver pool includes them, so they get no driver",
                "enable NFD's system and kernel feature sources on these nodes (NFD worker config: sources system, kernel) or wait for NFD's worker to label them")
            {
                Component = StateNames.Ofed,
                Nodes = [.. group.Select(x => x.Node.Name()).Order(StringComparer.Ordinal)],
            });
        }
    }

    private static void CheckNodes(Context c, List<Finding> findings)
    {
        var notReady = c.NicNodes.Where(n => !n.Arr("status", "conditions").Any(x => x.Str("type") == "Ready" && x.Str("status") == "True")).ToList();
        if (notReady.Count > 0)
        {
            findings.Add(new Finding(DoctorCauses.NodeNotReady, Finding.Warning, "Nodes", "NIC nodes whose kubelet is not Ready: their pods cannot start or report",
                "kubectl describe node NAME (conditions); the kubelet's log on the node")
            {
                Nodes = [.. notReady.Select(n => n.Name()).Order(StringComparer.Ordinal)],
            });
        }
    }

    private static void CheckPods(Context c, List<Finding> findings)
    {
        var problems = new Dictionary<(string Cause, string Object, string Message), (Finding Finding, SortedSet<string> Nodes)>();
        foreach (var pod in c.Snapshot.Pods.Where(p => p.Namespace() == c.Snapshot.OperatorNamespace))
        {
            if (IsReady(pod) || pod.Str("status", "phase") is "Succeeded" or "Failed" || pod.Str("metadata", "deletionTimestamp") is not null)
            {
                continue;
            }

            var owner = c.TopOwner(pod);
            var state = Context.StateOf(owner);
            if (state is null)
            {
                continue;
            }

            var node = pod.Str("spec", "nodeName");
            var finding = Diagnose(c, pod, owner, state);
            if (finding is null)
            {
                continue;
            }

            var key = (finding.Cause, finding.Object, finding.Message);
            if (!problems.TryGetValue(key, out var entry))
            {
                entry = (finding, new SortedSet<string>(StringComparer.Ordinal));
                problems[key] = entry;
            }

            if (node is not null)
            {
                entry.Nodes.Add(node);
            }
        }

        findings.AddRange(problems.Values.Select(p => p.Finding with { Nodes = [.. p.Nodes] }));
    }

    private static Finding? Diagnose(Context c, JsonObject pod, JsonObject owner, string? state)
    {
        var node = pod.Str("spec", "nodeName");
        foreach (var status in pod.Arr("status", "initContainerStatuses").Concat(pod.Arr("status", "containerStatuses")))
        {
            var waiting = status.Str("state", "waiting", "reason");
            if (waiting is "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName")
            {
                var image = status.Str("image") ?? string.Empty;
                var pulled = c.LatestEvent(pod, "Failed")?.Str("message");
                if (state == StateNames.Ofed)
                {
                    var labels = node is null ? new Dictionary<string, string>() : c.NodeLabels(node);
                    var os = $"{labels.GetValueOrDefault(Labels.OsReleaseId)} {labels.GetValueOrDefault(Labels.OsReleaseVersionId)}".Trim();
                    var kernel = labels.GetValueOrDefault(Labels.KernelVersionFull);
                    return new Finding(DoctorCauses.NoDriverImage, Finding.Error, owner.Ref(),
                        $"no driver image {image} for {os} (kernel {kernel}): {waiting}",
                        $"the registry has no such tag: set ofedDriver.version to a release built for {os}, mirror the image into ofedDriver.repository, or give these nodes a NicNodePolicy with a version that exists" +
                        (pulled is null ? string.Empty : $" (kubelet: {Trim(pulled)})"))
                    {
                        Component = state,
                    };
                }

                return new Finding(DoctorCauses.ImagePullFailed, Finding.Error, owner.Ref(), $"image {image} cannot be pulled: {waiting}",
                    "check the component's repository, image and version in the policy, and imagePullSecrets if the registry needs credentials" +
                    (pulled is null ? string.Empty : $" (kubelet: {Trim(pulled)})"))
                {
                    Component = state,
                };
            }
        }

        if (string.IsNullOrEmpty(node))
        {
            var scheduled = pod.Arr("status", "conditions").FirstOrDefault(x => x.Str("type") == "PodScheduled");
            var message = scheduled.Str("message") ?? c.LatestEvent(pod, "FailedScheduling")?.Str("message");
            if (message is null)
            {
                return null;
            }

            var fix = message.Contains("Insufficient", StringComparison.Ordinal)
                ? "free the resources named on the nodes, or lower the component's containerResources requests in the policy"
                : message.Contains("taint", StringComparison.Ordinal)
                    ? "tolerate the taint (spec.deploymentTolerations for Deployments, spec.tolerations for DaemonSets) or remove it from the nodes"
                    : message.Contains("affinity", StringComparison.Ordinal) || message.Contains("selector", StringComparison.Ordinal)
                        ? "label nodes to match the component's nodeSelector/nodeAffinity, or change them in the policy"
                        : "kubectl describe pod to see what the scheduler needs";
            return new Finding(DoctorCauses.PodPending, Finding.Error, owner.Ref(), $"pods Pending: {message}", fix) { Component = state };
        }

        var problem = PodProblem(pod);
        var warning = c.LatestWarning(pod);
        return new Finding(DoctorCauses.PodFailing, Finding.Error, owner.Ref(),
            $"pods not ready: {problem ?? "not ready"}" + (warning is null ? string.Empty : $" ({warning.Str("reason")}: {Trim(warning.Str("message") ?? string.Empty)})"),
            $"kubectl -n {pod.Namespace()} describe pod {pod.Name()}; kubectl -n {pod.Namespace()} logs {pod.Name()}")
        {
            Component = state,
        };
    }

    private static void CheckDaemonSetCoverage(Context c, List<Finding> findings)
    {
        foreach (var daemonSet in c.Snapshot.DaemonSets)
        {
            var state = Context.StateOf(daemonSet);
            if (state is null)
            {
                continue;
            }

            var selector = daemonSet.Map("spec", "template", "spec", "nodeSelector");
            var tolerations = daemonSet.Arr("spec", "template", "spec", "tolerations");
            var untolerated = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var node in c.Snapshot.Nodes)
            {
                var labels = node.Map("metadata", "labels");
                if (!selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value))
                {
                    continue;
                }

                foreach (var taint in node.Arr("spec", "taints"))
                {
                    var effect = taint.Str("effect");
                    if (effect is "NoSchedule" or "NoExecute" && !tolerations.Any(t => Tolerates(t, taint)))
                    {
                        var text = $"{taint.Str("key")}{(taint.Str("value") is { Length: > 0 } v ? "=" + v : string.Empty)}:{effect}";
                        if (!untolerated.TryGetValue(text, out var nodes))
                        {
                            untolerated[text] = nodes = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        nodes.Add(node.Name());
                    }
                }
            }

            foreach (var (taint, nodes) in untolerated)
            {
                findings.Add(new Finding(DoctorCauses.PodPending, Finding.Error, daemonSet.Ref(),
                    $"no pod on nodes it selects: taint {taint} is not tolerated",
                    $"add a toleration for {taint} to the policy's spec.tolerations (or remove the taint from the nodes)")
                {
                    Component = state,
                    Nodes = [.. nodes],
                });
            }
        }
    }

    private static bool Tolerates(JsonNode? toleration, JsonNode? taint)
    {
        var key = toleration.Str("key") ?? string.Empty;
        var op = toleration.Str("operator") ?? "Equal";
        var effect = toleration.Str("effect") ?? string.Empty;
        if (effect.Length > 0 && effect != taint.Str("effect"))
        {
            return false;
        }

        if (key.Length == 0)
        {
            return op == "Exists";
        }

        return key == taint.Str("key") && (op == "Exists" || (toleration.Str("value") ?? string.Empty) == (taint.Str("value") ?? string.Empty));
    }

    private static void CheckMofedWait(Context c, List<Finding> findings)
    {
        var stuck = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        // "true", or no label at all on a node whose driver pod is not ready: the operator does not write "true" to a
        // node that never had the label, since no component selecting mofed.wait=false runs there either way.
        foreach (var node in c.Snapshot.Nodes.Where(n => n.Map("metadata", "labels").GetValueOrDefault(Labels.MofedWait) is "true" or null))
        {
            var driver = c.Snapshot.Pods.FirstOrDefault(p => p.Str("spec", "nodeName") == node.Name() &&
                                                             p.Map("metadata", "labels").ContainsKey(Labels.OfedDriver));
            var labelled = node.Map("metadata", "labels").ContainsKey(Labels.MofedWait);
            if (!labelled && driver is null)
            {
                continue;
            }

            var why = driver is null ? "no driver pod runs on the node"
                : IsReady(driver) ? null
                : $"driver pod {driver.Name()} is not ready ({PodProblem(driver) ?? "starting"})";
            if (why is null)
            {
                continue;
            }

            if (!stuck.TryGetValue(why, out var nodes))
            {
                stuck[why] = nodes = new SortedSet<string>(StringComparer.Ordinal);
            }

            nodes.Add(node.Name());
        }

        foreach (var (why, nodes) in stuck)
        {
            findings.Add(new Finding(DoctorCauses.MofedWaitStuck, Finding.Error, "Nodes",
                $"{Labels.MofedWait} stays unset or true: {why}; device plugins and CNI pods that wait for the driver do not start there",
                "fix the driver pod (findings above); the operator sets the label to false once the driver is ready. A node that should get no driver: remove the NIC label or exclude it with the policy's nodeSelector")
            {
                Component = StateNames.Ofed,
                Nodes = [.. nodes.Take(nodes.Count)],
            });
        }
    }

    /// <summary>
    /// Failed nodes and live drain blockers are errors; the rest of <c>blockedNodes</c> is an upgrade waiting its turn
    /// (for a slot, a new driver pod, a skip label), a warning that says which failed nodes hold the slots. A failed node
    /// keeps its slot and stays cordoned until it is retried, so its fix names the relabel that retries it.
    /// </summary>
    private static void CheckUpgrades(Context c, List<Finding> findings)
    {
        foreach (var policy in c.Snapshot.ClusterPolicies.Concat(c.Snapshot.NodePolicies))
        {
            var failedNodes = policy.Arr("status", "upgrade", "failedNodes").Select(p => p.Str("name") ?? string.Empty).Order(StringComparer.Ordinal).ToList();
            var problems = policy.Arr("status", "upgrade", "blockedNodes").Select(p => (Node: p, Failed: false))
                .Concat(policy.Arr("status", "upgrade", "failedNodes").Select(p => (Node: p, Failed: true)));
            foreach (var group in problems.GroupBy(p => (Reason: p.Node.Str("reason") ?? string.Empty, p.Failed)))
            {
                var reason = Readable(group.Key.Reason);
                var nodes = group.Select(p => p.Node.Str("name") ?? string.Empty).Order(StringComparer.Ordinal).ToList();
                // Past three names the command selects every failed node instead: one line a user can paste.
                var retry = group.Key.Failed
                    ? $"; then retry: kubectl label node {(nodes.Count <= 3 ? string.Join(" ", nodes) : $"-l {Labels.UpgradeState}={UpgradeStates.UpgradeFailed}")} "
                      + $"{Labels.UpgradeState}={UpgradeStates.UpgradeRequired} --overwrite"
                    : string.Empty;
                var (cause, severity, fix) = reason.Contains("DisruptionBudget", StringComparison.Ordinal) || reason.Contains("disruption budget", StringComparison.OrdinalIgnoreCase)
                    ? (DoctorCauses.UpgradeBlockedByBudget, Finding.Error,
                        "the budget allows no eviction now: scale up the workload it protects, relax its minAvailable/maxUnavailable, or set spec.ofedDriver.upgradePolicy.drain.enable=false" + retry)
                    : reason.Contains("not managed by a controller", StringComparison.Ordinal)
                        ? (DoctorCauses.UpgradeBlockedByUnmanagedPod, Finding.Error,
                            "delete the pod, run it under a controller (Deployment, Job), or set spec.ofedDriver.upgradePolicy.drain.force=true (the pod is deleted and not re-created)" + retry)
                        : group.Key.Failed
                            ? (DoctorCauses.UpgradeFailed, Finding.Error, "fix the cause named" + retry + " (or delete its driver pod: the node recovers once the new one is ready, without a drain)")
                            : (DoctorCauses.UpgradeWaiting, Finding.Warning, failedNodes.Count > 0
                                ? $"failed nodes keep their upgrade slot until retried: {StatusMessages.Names(failedNodes)} (findings above)"
                                : "nothing while nodes upgrade; it moves on as they finish");
                findings.Add(new Finding(cause, severity, policy.Ref(),
                    $"driver upgrade {(group.Key.Failed ? "failed" : severity == Finding.Error ? "blocked" : "waiting")}: {reason}", fix)
                {
                    Component = StateNames.Ofed,
                    Nodes = nodes,
                });
            }
        }
    }

    /// <summary>
    /// An eviction refusal quoted as the server's Status JSON becomes its sentence, with the budget the server named.
    /// </summary>
    private static string Readable(string reason)
    {
        var json = reason.IndexOf("{\"kind\":\"Status\"", StringComparison.Ordinal);
        if (json < 0)
        {
            return reason;
        }

        var budget = DisruptionBudgetName().Match(reason);
        var message = StatusMessage().Match(reason);
        return reason[..json].TrimEnd(' ', ':') + ": " + (message.Success ? message.Groups[1].Value : "refused") +
               (budget.Success ? $" (PodDisruptionBudget {budget.Groups[1].Value})" : string.Empty);
    }

    [System.Text.RegularExpressions.GeneratedRegex("disruption budget ([^ \\\"]+) needs")]
    private static partial System.Text.RegularExpressions.Regex DisruptionBudgetName();

    [System.Text.RegularExpressions.GeneratedRegex("\\\"message\\\":\\\"([^\\\"]*)\\\"")]
    private static partial System.Text.RegularExpressions.Regex StatusMessage();

    private static void CheckNetworks(Context c, List<Finding> findings)
    {
        foreach (var network in c.Snapshot.Networks)
        {
            var ns = network.Str("spec", "networkNamespace") is { Length: > 0 } value ? value : "default";
            if (!c.Snapshot.NamespaceExists(ns))
            {
                findings.Add(new Finding(DoctorCauses.NetworkNamespaceMissing, Finding.Error, network.Ref(),
                    $"spec.networkNamespace {ns} does not exist: its NetworkAttachmentDefinition cannot be created",
                    $"kubectl create namespace {ns}, or set spec.networkNamespace to the namespace of the pods that use the network"));
                continue;
            }

            var explained = false;
            var nad = c.Snapshot.NetworkAttachmentDefinitions.FirstOrDefault(n => n.Namespace() == ns && n.Name() == network.Name());
            if (nad is not null)
            {
                explained = CheckPlugins(c, network, nad, findings);
            }

            var state = network.Str("status", "state");
            if (!explained && state is not null && state != "ready")
            {
                findings.Add(new Finding(DoctorCauses.NetworkNotReady, Finding.Error, network.Ref(),
                    $"state {state}: {network.Str("status", "reason") ?? "no reason given"}", "correct what the reason names; the operator retries"));
            }
        }
    }

    /// <summary>Reports plugins of the NAD that no policy deploys, and pods on the network that a node lacks a plugin for.</summary>
    private static bool CheckPlugins(Context c, JsonObject network, JsonObject nad, List<Finding> findings)
    {
        var reported = false;
        foreach (var binary in RequiredBinaries(nad.Str("spec", "config")))
        {
            if (ComponentFor(binary) is not { } component || c.Deploys(component.Field))
            {
                continue;
            }

            findings.Add(new Finding(DoctorCauses.NetworkPluginMissing, Finding.Error, network.Ref(),
                $"its NetworkAttachmentDefinition {nad.Namespace()}/{nad.Name()} needs the CNI binary \"{binary}\", which no NicClusterPolicy deploys: pods on this network stay ContainerCreating",
                $"add {component.Field} to the NicClusterPolicy")
            {
                Component = component.State,
            });
            reported = true;
        }

        var missing = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var pod in c.Snapshot.Pods.Where(p => !IsReady(p) && UsesNetwork(p, nad)))
        {
            var sandbox = c.LatestEvent(pod, "FailedCreatePodSandBox")?.Str("message");
            if (sandbox is null || FindPlugin().Match(sandbox) is not { Success: true } match)
            {
                continue;
            }

            var binary = match.Groups[1].Value;
            if (!missing.TryGetValue(binary, out var nodes))
            {
                missing[binary] = nodes = new SortedSet<string>(StringComparer.Ordinal);
            }

            nodes.Add(pod.Str("spec", "nodeName") ?? string.Empty);
        }

        foreach (var (binary, nodes) in missing)
        {
            var component = ComponentFor(binary);
            if (component is { } known && !c.Deploys(known.Field))
            {
                continue;
            }

            findings.Add(new Finding(DoctorCauses.NetworkPluginMissing, Finding.Error, network.Ref(),
                $"pods on this network wait in ContainerCreating: their nodes have no \"{binary}\" CNI binary",
                component is { } deployed
                    ? $"{deployed.State} has no Ready pod on these nodes: see its findings, or widen its nodeSelector/tolerations to them"
                    : $"install the \"{binary}\" CNI plugin on these nodes")
            {
                Component = component?.State,
                Nodes = [.. nodes],
            });
            reported = true;
        }

        return reported;
    }

    private static bool UsesNetwork(JsonObject pod, JsonObject nad)
    {
        if (!pod.Map("metadata", "annotations").TryGetValue(NetworksAnnotation, out var requested))
        {
            return false;
        }

        var podNs = pod.Namespace() ?? "default";
        var names = new List<(string Ns, string Name)>();
        if (requested.TrimStart().StartsWith('['))
        {
            try
            {
                foreach (var item in JsonNode.Parse(requested) as JsonArray ?? [])
                {
                    names.Add((item.Str("namespace") ?? podNs, item.Str("name") ?? string.Empty));
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }
        else
        {
            foreach (var entry in requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = entry.Split('@')[0];
                var slash = name.IndexOf('/', StringComparison.Ordinal);
                names.Add(slash < 0 ? (podNs, name) : (name[..slash], name[(slash + 1)..]));
            }
        }

        return names.Contains((nad.Namespace() ?? string.Empty, nad.Name()));
    }

    /// <summary>The CNI binaries a NAD's config runs: Multus itself, each plugin type and each IPAM type.</summary>
    private static List<string> RequiredBinaries(string? config)
    {
        var binaries = new List<string> { "multus" };
        if (string.IsNullOrEmpty(config))
        {
            return binaries;
        }

        try
        {
            var root = JsonNode.Parse(config);
            var plugins = root?["plugins"] is JsonArray list ? list.ToList() : [root];
            foreach (var plugin in plugins)
            {
                foreach (var type in new[] { plugin.Str("type"), plugin.Str("ipam", "type") })
                {
                    if (!string.IsNullOrEmpty(type) && !binaries.Contains(type))
                    {
                        binaries.Add(type);
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return binaries;
    }

    private static (string State, string Field)? ComponentFor(string binary) =>
        ComponentCatalog.InstallingCniBinary(binary) is { } component ? (component.StateName, component.SectionPath) : null;

    private static void CheckUnexplainedComponents(Context c, List<Finding> findings)
    {
        foreach (var policy in c.Snapshot.ClusterPolicies.Concat(c.Snapshot.NodePolicies))
        {
            foreach (var applied in policy.Arr("status", "appliedStates"))
            {
                var name = applied.Str("name");
                var state = applied.Str("state");
                if (state is null or "ready" or "ignore" || findings.Any(f => f.Component == name))
                {
                    continue;
                }

                var message = applied.Str("message") is { Length: > 0 } m ? m : "its DaemonSets or Deployments are not ready yet";
                findings.Add(new Finding(DoctorCauses.ComponentNotReady, Finding.Error, policy.Ref(), $"{name} is {state}: {message}",
                    state == "error" ? "correct what the message names in the policy" : $"kubectl -n {c.Snapshot.OperatorNamespace} get pods -l app (the component's pods) and wait, or see their Events")
                {
                    Component = name,
                });
            }
        }
    }

    internal static bool IsReady(JsonNode? pod) =>
        pod.Str("status", "phase") == "Running" &&
        pod.Arr("status", "conditions").Any(x => x.Str("type") == "Ready" && x.Str("status") == "True");

    /// <summary>Why a pod is not running, in kubectl's STATUS words: a waiting reason, or the unschedulable message.</summary>
    private static string? PodProblem(JsonNode? pod)
    {
        foreach (var status in pod.Arr("status", "initContainerStatuses").Concat(pod.Arr("status", "containerStatuses")))
        {
            if (status.Str("state", "waiting", "reason") is { } reason)
            {
                return reason;
            }
        }

        var scheduled = pod.Arr("status", "conditions").FirstOrDefault(x => x.Str("type") == "PodScheduled" && x.Str("status") == "False");
        return scheduled.Str("message") ?? (pod.Str("status", "phase") is { } phase && phase != "Running" ? phase : null);
    }

    private static string Trim(string text) => text.Length <= 300 ? text : text[..297] + "...";

    // ResourceQuota admission's two refusals: "exceeded quota: NAME, requested: ..." and "failed quota: NAME: must specify ...".
    [System.Text.RegularExpressions.GeneratedRegex("(?<kind>exceeded|failed) quota: (?<name>[^,:\\s]+)")]
    private static partial System.Text.RegularExpressions.Regex QuotaRefusal();

    // The operator's state message for a rendered object whose kind the cluster lacks: "Issuer (cert-manager.io/v1) is not served by this cluster".
    [System.Text.RegularExpressions.GeneratedRegex("(?<kind>[A-Za-z0-9]+) \\((?<group>[^/()]+)/[^()]+\\) is not served by this cluster")]
    private static partial System.Text.RegularExpressions.Regex NotServed();

    [System.Text.RegularExpressions.GeneratedRegex("failed to find plugin \"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex FindPlugin();
}
