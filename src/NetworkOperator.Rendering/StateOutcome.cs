using k8s;
using k8s.Models;

namespace NetworkOperator.Rendering;

/// <summary>One enabled state of one custom resource: what it rendered, or why it could not.</summary>
public sealed record StateOutcome(string Kind, string Name, string State, RenderResult? Result, RenderException? Error)
{
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects => Result?.Objects ?? [];

    public string Source => $"{Kind}/{Name}";
}
