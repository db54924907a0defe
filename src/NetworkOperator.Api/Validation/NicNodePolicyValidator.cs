using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Admission rules for NicNodePolicy.</summary>
public static class NicNodePolicyValidator
{
    /// <summary>Derived object names (DaemonSets, ConfigMaps) embed the policy name; longer names would overflow them.</summary>
    public const int MaxNameLength = 30;

    public static ValidationResult Validate(NicNodePolicy policy, ValidationContext? context = null)
    {
        context ??= ValidationContext.None;
        var collector = new ValidationCollector();
        var spec = policy.Spec;
        MetadataRules.Check(policy.Metadata, collector);
        SchemaRules.Check(spec, "spec", collector);

        var name = policy.Metadata.Name;
        if (name is not null && name.Length > MaxNameLength)
        {
            collector.Invalid("metadata.name", name, $"must be no more than {MaxNameLength} characters");
        }

        foreach (var component in ComponentCatalog.NodePolicy)
        {
            // A NicNodePolicy has no global section: each image names its own repository and version.
            PolicyRules.CheckComponentImages(component, spec, null, collector);
            if (component.IsConfigured(spec))
            {
                component.Check?.Invoke(spec, collector);
            }
        }

        CheckNodeSelector(spec, collector);
        MetadataRules.CheckLabels(spec.Labels, "spec.labels", collector);
        MetadataRules.CheckAnnotationKeys(spec.Annotations, "spec.annotations", collector);
        SchedulingRules.CheckTolerations(spec.Tolerations, "spec.tolerations", collector);
        CheckSectionConflicts(policy, context, collector);
        CheckOverlap(policy, context, collector);
        return collector.ToResult();
    }

    private static void CheckNodeSelector(NicNodePolicySpec spec, ValidationCollector collector)
    {
        if (spec.NodeSelector is { Count: 0 } or null)
        {
            collector.Warn("spec.nodeSelector", "no node selector: this policy selects every node, so no other NicNodePolicy can be added");
        }

        MetadataRules.CheckLabels(spec.NodeSelector, "spec.nodeSelector", collector);
    }

    private static void CheckSectionConflicts(NicNodePolicy policy, ValidationContext context, ValidationCollector collector)
    {
        // Only the policy named nic-cluster-policy deploys anything, so only it can conflict.
        var clusterPolicy = context.ClusterPolicies.FirstOrDefault(p => p.Metadata.Name == ApiGroup.NicClusterPolicyName);
        foreach (var (component, message) in SectionsTakenBy(clusterPolicy, policy))
        {
            collector.Forbidden(FieldPath.Child("spec", component.Section), message);
        }
    }

    /// <summary>
    /// The components <paramref name="policy"/> configures that <paramref name="clusterPolicy"/> (the acted-on one, or
    /// null) configures too, each with the reason the second may not: the webhook's refusal and, when no webhook ran,
    /// the node policy reconciler's error for that state.
    /// </summary>
    public static IEnumerable<(ComponentDescriptor Component, string Message)> SectionsTakenBy(NicClusterPolicy? clusterPolicy, NicNodePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (clusterPolicy is null)
        {
            return [];
        }

        var defined = ComponentCatalog.DefinedPerPolicySections(clusterPolicy.Spec);
        return ComponentCatalog.NodePolicy.Where(c => c.IsConfigured(policy.Spec) && defined.Contains(c.Section))
            .Select(c => (c, $"NicClusterPolicy already defines {c.Section}; NicNodePolicy \"{policy.Metadata.Name}\" cannot also define it"));
    }

    private static void CheckOverlap(NicNodePolicy policy, ValidationContext context, ValidationCollector collector)
    {
        if (context.Nodes.Count == 0)
        {
            return;
        }

        var all = context.NodePolicies.Where(p => p.Metadata.Name != policy.Metadata.Name).Append(policy).ToList();
        var overlaps = NodePolicyOverlap.Find(all, context.Nodes)
            .Where(o => o.PolicyNames.Contains(policy.Metadata.Name ?? string.Empty))
            .ToList();
        if (overlaps.Count > 0)
        {
            collector.Forbidden("spec.nodeSelector", NodePolicyOverlap.Describe(overlaps));
        }
    }
}
