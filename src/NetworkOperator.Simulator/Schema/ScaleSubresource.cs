namespace NetworkOperator.Simulator.Schema;

/// <summary>
/// Where a kind with a <c>/scale</c> subresource keeps what an autoscaling/v1 Scale shows: the desired replicas (which a
/// Scale write changes), the current replicas and the label selector. Paths are dotted (<c>.spec.replicas</c>), as a
/// CRD's <c>subresources.scale</c> writes them.
/// </summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath,
    ScaleSelectorForm SelectorForm)
{
    /// <summary>Deployments, replica sets and stateful sets: a metav1.LabelSelector at spec.selector.</summary>
    public static readonly ScaleSubresource Workload = new(".spec.replicas", ".status.replicas", ".spec.selector", ScaleSelectorForm.LabelSelector);

    /// <summary>Replication controllers: a plain label map at spec.selector.</summary>
    public static readonly ScaleSubresource ReplicationController = new(".spec.replicas", ".status.replicas", ".spec.selector", ScaleSelectorForm.LabelMap);

    /// <summary>
    /// A custom resource's scale, served by the CRD handler's rules: no ValidateScale, and a missing replicas field is an
    /// error of its own on read and write.
    /// </summary>
    public bool IsCustom => SelectorForm == ScaleSelectorForm.Text;
}

/// <summary>How the object holds the selector a Scale prints as text.</summary>
public enum ScaleSelectorForm
{
    /// <summary>A custom resource: the selector is already a string at labelSelectorPath (or absent).</summary>
    Text,

    /// <summary>A metav1.LabelSelector object.</summary>
    LabelSelector,

    /// <summary>A map of label keys to values (all must match).</summary>
    LabelMap,
}
