using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// Puts source-generated JSON metadata in front of KubernetesClient's reflection-based serializer. The native
/// (Native AOT) operator binary cannot create generic converters over value types at run time
/// (<c>Dictionary&lt;string, JsonElement&gt;</c>, <c>int?</c>, watch event types); generated metadata is compiled ahead of
/// time. Kinds not listed still go through reflection, which is enough for graphs of reference types.
/// </summary>
public static class KubernetesJsonContexts
{
    private static int _registered;

    /// <summary>
    /// Adds the runtime's context and <paramref name="more"/> to KubernetesClient's serializer options. Call once, first
    /// thing in <c>Main</c>: the options freeze on their first use, after which this throws.
    /// </summary>
    public static void Register(params JsonSerializerContext[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        KubernetesJson.AddJsonOptions(options =>
        {
            foreach (var context in more.Reverse())
            {
                options.TypeInfoResolverChain.Insert(0, context);
            }

            options.TypeInfoResolverChain.Insert(0, KubernetesModelsJsonContext.Default);
        });
    }
}

/// <summary>The built-in kinds the runtime and the controllers read, write and watch.</summary>
// KubernetesClient decodes every watch line first as an event of KubernetesObject to spot Status objects.
[JsonSerializable(typeof(Watcher<KubernetesObject>.WatchEvent))]
[JsonSerializable(typeof(Watcher<V1Status>.WatchEvent))]
[JsonSerializable(typeof(V1Node))]
[JsonSerializable(typeof(ObjectList<V1Node>))]
[JsonSerializable(typeof(Watcher<V1Node>.WatchEvent))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(ObjectList<V1Pod>))]
[JsonSerializable(typeof(Watcher<V1Pod>.WatchEvent))]
[JsonSerializable(typeof(V1DaemonSet))]
[JsonSerializable(typeof(ObjectList<V1DaemonSet>))]
[JsonSerializable(typeof(Watcher<V1DaemonSet>.WatchEvent))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(ObjectList<V1Deployment>))]
[JsonSerializable(typeof(Watcher<V1Deployment>.WatchEvent))]
[JsonSerializable(typeof(V1ReplicaSet))]
[JsonSerializable(typeof(ObjectList<V1ReplicaSet>))]
[JsonSerializable(typeof(V1ControllerRevision))]
[JsonSerializable(typeof(ObjectList<V1ControllerRevision>))]
[JsonSerializable(typeof(Watcher<V1ControllerRevision>.WatchEvent))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(ObjectList<V1ConfigMap>))]
[JsonSerializable(typeof(Watcher<V1ConfigMap>.WatchEvent))]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(V1CustomResourceDefinition))]
[JsonSerializable(typeof(ObjectList<V1CustomResourceDefinition>))]
[JsonSerializable(typeof(V1Eviction))]
[JsonSerializable(typeof(V1DeleteOptions))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(V1PodTemplateSpec))]
[JsonSerializable(typeof(V1LabelSelector))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1Namespace))]
internal sealed partial class KubernetesModelsJsonContext : JsonSerializerContext;
