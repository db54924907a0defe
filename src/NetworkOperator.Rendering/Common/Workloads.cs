using k8s.Models;

namespace NetworkOperator.Rendering.Common;

/// <summary>DaemonSet and Deployment shells; the states fill in the pod spec.</summary>
public static class Workloads
{
    public static V1DaemonSet DaemonSet(string name, string ns, IDictionary<string, string> labels, IDictionary<string, string> selector, IDictionary<string, string> podLabels, V1PodSpec pod, IDictionary<string, string>? podAnnotations = null, V1DaemonSetUpdateStrategy? strategy = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = K8s.Meta(name, ns, labels),
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(selector, StringComparer.Ordinal) },
            UpdateStrategy = strategy,
            Template = new V1PodTemplateSpec { Metadata = K8s.Meta(null!, labels: podLabels, annotations: podAnnotations), Spec = pod },
        },
    };

    public static V1Deployment Deployment(string name, string ns, IDictionary<string, string> labels, IDictionary<string, string> selector, IDictionary<string, string> podLabels, V1PodSpec pod, int replicas, V1DeploymentStrategy? strategy = null, IDictionary<string, string>? podAnnotations = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = K8s.Meta(name, ns, labels),
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(selector, StringComparer.Ordinal) },
            Strategy = strategy,
            Template = new V1PodTemplateSpec { Metadata = K8s.Meta(null!, labels: podLabels, annotations: podAnnotations), Spec = pod },
        },
    };
}
