using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>Stock predicates (controller-runtime's <c>predicate</c> package). They filter updates only.</summary>
public static class Predicates
{
    /// <summary>
    /// Passes updates whose <c>metadata.generation</c> changed, i.e. spec changes; drops status-only writes and resyncs.
    /// Kinds without generation (ConfigMaps, Secrets) never pass updates: combine with another predicate with Or.
    /// </summary>
    public static IPredicate<T> GenerationChanged<T>()
        where T : IKubernetesObject<V1ObjectMeta> =>
        new DelegatePredicate<T>(update: (o, n) => o.Metadata.Generation != n.Metadata.Generation);

    public static IPredicate<T> LabelChanged<T>()
        where T : IKubernetesObject<V1ObjectMeta> =>
        new DelegatePredicate<T>(update: (o, n) => !SameMap(o.Metadata.Labels, n.Metadata.Labels));

    public static IPredicate<T> AnnotationChanged<T>()
        where T : IKubernetesObject<V1ObjectMeta> =>
        new DelegatePredicate<T>(update: (o, n) => !SameMap(o.Metadata.Annotations, n.Metadata.Annotations));

    /// <summary>
    /// Passes updates that change anything except <c>resourceVersion</c>, <c>managedFields</c> and <c>status</c>
    /// (so a controller is not woken by its own status writes or by resyncs).
    /// </summary>
    public static IPredicate<T> ContentChanged<T>()
        where T : IKubernetesObject<V1ObjectMeta> =>
        new DelegatePredicate<T>(update: (o, n) => !ReferenceEquals(o, n) && !JsonNode.DeepEquals(Content(o), Content(n)));

    /// <summary>Passes when any of <paramref name="predicates"/> passes.</summary>
    public static IPredicate<T> Or<T>(params IPredicate<T>[] predicates) =>
        new DelegatePredicate<T>(
            o => predicates.Any(p => p.Create(o)),
            (o, n) => predicates.Any(p => p.Update(o, n)),
            o => predicates.Any(p => p.Delete(o)));

    /// <summary>Passes objects (all event types) that satisfy <paramref name="filter"/>; for updates, the new object.</summary>
    public static IPredicate<T> Where<T>(Func<T, bool> filter) =>
        new DelegatePredicate<T>(filter, (_, n) => filter(n), filter);

    private static JsonNode? Content<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj));
        if (node is JsonObject root)
        {
            root.Remove("status");
            if (root["metadata"] is JsonObject metadata)
            {
                metadata.Remove("resourceVersion");
                metadata.Remove("managedFields");
            }
        }

        return node;
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        if (a is null || b is null)
        {
            return true;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }
}
