using k8s;
using k8s.Models;

namespace NetworkOperator.Rendering.Tests;

internal static class ObjectQueries
{
    public static T Single<T>(this RenderResult result, string? name = null)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(result.Objects.OfType<T>(), o => name is null || o.Metadata.Name == name);

    public static IEnumerable<string> Names(this RenderResult result) => result.Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}");

    public static V1Container Container(this V1PodSpec pod, string name) => Assert.Single(pod.Containers, c => c.Name == name);
}
