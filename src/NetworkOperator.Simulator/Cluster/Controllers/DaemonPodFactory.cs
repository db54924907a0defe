using k8s;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// Daemon pods as the DaemonSet controller creates them: generateName <c>&lt;ds&gt;-</c>, template labels plus
/// <c>controller-revision-hash</c> and <c>pod-template-generation</c>, a controller owner reference, the automatic
/// tolerations, and required node affinity pinned to the node through <c>matchFields metadata.name</c> (the default
/// scheduler then binds it).
/// </summary>
public static class DaemonPodFactory
{
    public const string TemplateGenerationLabel = "pod-template-generation";

    public static V1Pod Create(V1DaemonSet daemonSet, string nodeName, string hash) =>
        Create(daemonSet, nodeName, hash, TemplateJson(daemonSet));

    /// <summary>The template as JSON, for <see cref="Create(V1DaemonSet, string, string, string)"/>: the same for every pod of a generation.</summary>
    public static string TemplateJson(V1DaemonSet daemonSet) => KubernetesJson.Serialize(daemonSet.Spec.Template);

    /// <summary>As <see cref="Create(V1DaemonSet, string, string)"/> from the template's JSON (<see cref="TemplateJson"/>) made once.</summary>
    public static V1Pod Create(V1DaemonSet daemonSet, string nodeName, string hash, string templateJson)
    {
        // A deep copy through JSON so later edits to the pod never alias the DaemonSet's template.
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(templateJson);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [ControllerRevisions.HashLabel] = hash,
            [TemplateGenerationLabel] = (daemonSet.Metadata.Generation ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var spec = template.Spec;
        spec.Tolerations = DaemonSetTolerations.WithAutomatic(spec);
        spec.Affinity = PinToNode(spec.Affinity, nodeName);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = daemonSet.Metadata.Name + "-",
                NamespaceProperty = daemonSet.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [OwnerReferences.ControllerOf("apps/v1", "DaemonSet", daemonSet.Metadata)],
            },
            Spec = spec,
        };
    }

    /// <summary>Replaces any node-name term with one pinning the pod to the node, keeping the other affinity parts.</summary>
    private static V1Affinity PinToNode(V1Affinity? affinity, string nodeName)
    {
        affinity ??= new V1Affinity();
        affinity.NodeAffinity ??= new V1NodeAffinity();
        affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
        {
            NodeSelectorTerms =
            [
                new V1NodeSelectorTerm
                {
                    MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [nodeName] }],
                },
            ],
        };
        return affinity;
    }

    /// <summary>The node a daemon pod is for: its binding, else the pinned affinity.</summary>
    public static string? TargetNode(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Spec?.NodeName) ? pod.Spec.NodeName : Scheduling.NodeSelectorMatcher.PinnedNodeName(pod.Spec!);
}
