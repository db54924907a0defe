using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Api;
using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Client;
using k8s;
using k8s.Models;

namespace NetworkOperator.Controllers.Preview;

/// <summary>
/// Computes what reconciling the given custom resources would do on a <see cref="LiveCluster"/>, with the operator's
/// own rules: <see cref="ApplyDecision"/> (the applier's create/update/unchanged/conflict/delete decision),
/// <see cref="StateSynchronizer"/>'s removal of objects a policy controls and no longer renders (CustomResourceDefinitions
/// kept), and the network controllers' removal of a NAD left in an old namespace.
/// A pure function of its inputs: it never talks to the cluster.
/// </summary>
public static class ChangePlanner
{
    /// <param name="resources">The previewed custom resources, CRD defaults applied.</param>
    /// <param name="cluster">The cluster as read just before.</param>
    /// <param name="facts">Rendering facts (built with <see cref="Facts"/> from the same cluster).</param>
    public static ChangePlan Plan(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> resources, LiveCluster cluster, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(facts);
        var changes = new List<PlannedChange>();
        var pools = new List<PlannedDriverPool>();
        var errors = new List<string>();
        // Policies and networks alike: an object another live mellanox.com resource controls stays with it.
        var liveOwners = cluster.Resources.Select(r => r.Metadata.Uid).ToHashSet(StringComparer.Ordinal);

        foreach (var resource in resources)
        {
            changes.Add(ResourceChange(resource, cluster.Resource(resource.Kind, resource.Metadata.Name)));
        }

        var outcomes = ClusterRenderer.RenderAll(resources, facts);
        foreach (var outcome in outcomes)
        {
            var resource = resources.First(r => r.Kind == outcome.Kind && (r.Metadata?.Name ?? string.Empty) == outcome.Name);
            var ownerUid = cluster.Resource(outcome.Kind, outcome.Name)?.Metadata.Uid;
            if (outcome.Error is not null)
            {
                // The operator reports the state as an error and writes nothing for it.
                errors.Add($"{outcome.Source} ({outcome.State}): {outcome.Error.Message}");
                continue;
            }

            var desiredKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rendered in outcome.Objects)
            {
                var desired = KubeObject.From(rendered);
                var kind = ManagedKinds.Find(desired.ApiVersion, desired.Kind);
                if (kind is null || !cluster.Serves(kind))
                {
                    changes.Add(Change(ChangeAction.NotServed, desired, outcome, $"{desired.ApiVersion} {desired.Kind} is not served by this cluster"));
                    continue;
                }

                var ns = kind.Namespaced ? desired.Metadata.NamespaceProperty : null;
                desiredKeys.Add(Key(kind, ns, desired.Metadata.Name));
                var live = cluster.Get(kind, ns, desired.Metadata.Name);
                changes.Add(ObjectChange(kind, desired, live, ownerUid, liveOwners, outcome, resource));
            }

            foreach (var pool in outcome.Result!.DriverPools)
            {
                pools.Add(new PlannedDriverPool(outcome.Source, pool.BaseName, pool.OsName + pool.OsVersion, pool.Kernel, pool.Arch, pool.NodeNames.Count));
            }

            if (ownerUid is not null)
            {
                changes.AddRange(Stale(cluster, ownerUid, outcome.Kind, outcome.Name, outcome.State, desiredKeys));
            }
        }

        // Sections absent from the previewed policy: the operator removes every object of that state the policy controls.
        foreach (var resource in resources)
        {
            if (cluster.Resource(resource.Kind, resource.Metadata.Name)?.Metadata.Uid is not { } uid)
            {
                continue;
            }

            var disabled = resource switch
            {
                NicClusterPolicy p when p.Metadata.Name == ApiGroup.NicClusterPolicyName => ComponentStates.ClusterPolicy.Where(s => !s.IsEnabled(p)).Select(s => s.Name),
                NicNodePolicy p => ComponentStates.NodePolicy.Where(s => !s.IsEnabled(p)).Select(s => s.Name),
                _ => [],
            };
            foreach (var state in disabled)
            {
                changes.AddRange(Stale(cluster, uid, resource.Kind, resource.Metadata.Name, state, []));
            }
        }

        return new ChangePlan(changes, pools, errors);
    }

    /// <summary>
    /// The rendering facts the operator would gather from this cluster, with the settings of its Deployment
    /// (<see cref="LiveCluster.Environment"/>); <paramref name="ofedInitContainerImage"/> overrides the one found there.
    /// </summary>
    public static ClusterFacts Facts(LiveCluster cluster, IReadOnlyDictionary<string, IReadOnlyList<string>>? extraConfigMapKeys = null,
        string? ofedInitContainerImage = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var configMaps = new Dictionary<string, IReadOnlyList<string>>(cluster.ConfigMapKeys, StringComparer.Ordinal);
        foreach (var (name, keys) in extraConfigMapKeys ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            configMaps[name] = keys;
        }

        var env = cluster.Environment;
        return new ClusterFacts
        {
            ClusterType = cluster.ClusterType,
            Nodes = cluster.Nodes,
            OperatorNamespace = cluster.OperatorNamespace,
            CniBinDirectory = env.CniBinDirectory ?? string.Empty,
            CniNetworkDirectory = env.CniNetworkDirectory ?? string.Empty,
            UseDriverToolkit = env.UseDriverToolkit,
            DriverToolkitImages = cluster.DriverToolkitImages,
            Proxy = cluster.Proxy,
            ConfigMapKeys = configMaps,
            OfedInitContainerImage = ofedInitContainerImage ?? env.OfedInitContainerImage,
            // Offline: nothing may reach beyond the API server, so every pool is previewed as built from source.
            PrecompiledTags = new OfflineTagLister(),
        };
    }

    private static PlannedChange ResourceChange(IKubernetesObject<V1ObjectMeta> resource, IKubernetesObject<V1ObjectMeta>? live)
    {
        var source = $"{resource.Kind}/{resource.Metadata.Name}";
        if (live is null)
        {
            return new PlannedChange(ChangeAction.Create, resource.Kind, null, resource.Metadata.Name, source, string.Empty);
        }

        return JsonNode.DeepEquals(Spec(resource), Spec(live))
            ? new PlannedChange(ChangeAction.Unchanged, resource.Kind, null, resource.Metadata.Name, source, string.Empty)
            : new PlannedChange(ChangeAction.Update, resource.Kind, null, resource.Metadata.Name, source, string.Empty, "spec differs from the stored one");
    }

    private static JsonNode? Spec(IKubernetesObject<V1ObjectMeta> resource) =>
        JsonNode.Parse(KubernetesJson.Serialize(resource))?["spec"];

    private static PlannedChange ObjectChange(ResourceKind kind, KubeObject desired, KubeObject? live, string? ownerUid, HashSet<string> liveOwners,
        StateOutcome outcome, IKubernetesObject<V1ObjectMeta> resource)
    {
        // The same decision the operator's applier makes, on the object as the applier would send it.
        if (!kind.Namespaced)
        {
            desired.Metadata.NamespaceProperty = null;
        }

        var owner = new Owner(resource.ApiVersion, resource.Kind, resource.Metadata.Name, ownerUid ?? string.Empty);
        var decision = ApplyDecision.Decide(desired, live, owner, liveOwners.Contains);
        return decision.Action switch
        {
            ApplyAction.Create => Change(ChangeAction.Create, desired, outcome, null, kind),
            ApplyAction.Unchanged => Change(ChangeAction.Unchanged, desired, outcome, null, kind),
            ApplyAction.Conflict => Change(ChangeAction.OwnedElsewhere, desired, outcome, decision.Reason, kind),
            _ when live is not null && !owner.Controls(live.Metadata) => Change(ChangeAction.Update, desired, outcome, decision.Reason, kind),
            _ => Change(ChangeAction.Update, desired, outcome, UpdateNote(decision, desired, outcome, resource), kind),
        };
    }

    private static string? UpdateNote(ApplyDecision decision, KubeObject desired, StateOutcome outcome, IKubernetesObject<V1ObjectMeta> resource)
    {
        var consequence = UpdateConsequence(desired, outcome, resource);
        return decision.DriftedField is { } field
            ? $"restores {field}, changed or removed on the cluster" + (consequence is null ? string.Empty : "; " + consequence)
            : consequence;
    }

    // Why an update matters beyond the object: which pods restart, and when.
    private static string? UpdateConsequence(KubeObject desired, StateOutcome outcome, IKubernetesObject<V1ObjectMeta> resource)
    {
        if (desired.Kind == "DaemonSet" && outcome.State == StateNames.Ofed)
        {
            var upgrade = resource switch
            {
                NicClusterPolicy p => p.Spec.OfedDriver?.UpgradePolicy,
                NicNodePolicy p => p.Spec.OfedDriver?.UpgradePolicy,
                _ => null,
            };
            if (upgrade?.AutoUpgrade == true)
            {
                var parallel = upgrade.MaxParallelUpgrades is null or 0 ? "no limit" : upgrade.MaxParallelUpgrades.Value.ToString(CultureInfo.InvariantCulture);
                var drain = upgrade.Drain?.Enable == true ? "drained" : "not drained";
                return $"driver upgrade: driver pods restart node by node (autoUpgrade, maxParallelUpgrades {parallel}; nodes cordoned, {drain}), reloading the NIC driver";
            }

            return "driver upgrade pending: OnDelete and autoUpgrade off, so each node keeps the old driver until its driver pod is deleted (which reloads the NIC driver)";
        }

        return desired.Kind switch
        {
            "DaemonSet" => "rolling update: its pods restart on every selected node",
            "Deployment" => "rolling update: its pods are replaced",
            // Multus reads the NAD when it sets up a pod's sandbox, never after.
            "NetworkAttachmentDefinition" => "pods already attached keep the old configuration until they are re-created",
            _ => null,
        };
    }

    private static IEnumerable<PlannedChange> Stale(LiveCluster cluster, string ownerUid, string sourceKind, string sourceName, string state,
        HashSet<string> desiredKeys)
    {
        var dsOwner = ComponentCatalog.Find(state)?.DsOwner(sourceKind, sourceName);
        var network = sourceKind is not (NicClusterPolicy.KubeKind or NicNodePolicy.KubeKind);
        var owner = new Owner(string.Empty, sourceKind, sourceName, ownerUid);
        foreach (var (kind, obj) in cluster.ControlledBy(ownerUid).OrderBy(o => o.Kind.Kind, StringComparer.Ordinal).ThenBy(o => o.Object.ToString(), StringComparer.Ordinal))
        {
            var labels = obj.Metadata.Labels ?? new Dictionary<string, string>();
            var matches = network
                ? kind == ManagedKinds.NetworkAttachmentDefinition
                : labels.TryGetValue(Labels.State, out var s) && s == state
                  && (dsOwner is null || (labels.TryGetValue(Labels.DsOwner, out var d) && d == dsOwner));
            if (!matches || desiredKeys.Contains(Key(kind, kind.Namespaced ? obj.Metadata.NamespaceProperty : null, obj.Metadata.Name))
                || ApplyDecision.Decide(null, obj, owner, _ => false).Action != ApplyAction.Delete)
            {
                continue;
            }

            var source = $"{sourceKind}/{sourceName}";
            yield return kind == ManagedKinds.CustomResourceDefinition
                ? new PlannedChange(ChangeAction.Kept, obj.Kind, null, obj.Metadata.Name, source, state, "CustomResourceDefinitions hold user data; delete by hand to remove it")
                : new PlannedChange(ChangeAction.Delete, obj.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name, source, state,
                    obj.Kind switch
                    {
                        "DaemonSet" when state == StateNames.Ofed => "driver pods are removed: nodes keep the loaded driver until reboot or driver unload",
                        "NetworkAttachmentDefinition" => "pods already attached keep their interface; new pods in this namespace can no longer request the network",
                        _ => null,
                    });
        }
    }

    private static PlannedChange Change(ChangeAction action, KubeObject desired, StateOutcome outcome, string? note, ResourceKind? kind = null) =>
        new(action, desired.Kind, kind is { Namespaced: false } ? null : desired.Metadata.NamespaceProperty, desired.Metadata.Name, outcome.Source, outcome.State, note);

    private static string Key(ResourceKind kind, string? ns, string name) => $"{kind.Resource}/{ns}/{name}";
}
