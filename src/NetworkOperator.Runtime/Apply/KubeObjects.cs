using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Apply;

/// <summary>Helpers for objects read from the cache, which are shared and must be copied before being changed.</summary>
public static class KubeObjects
{
    /// <summary>A deep copy through the Kubernetes JSON serialiser (the same shape the API server sees).</summary>
    public static T Clone<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
    }

    /// <summary>The <c>status</c> field as JSON, or null when absent.</summary>
    public static JsonNode? StatusOf<T>(T obj)
        where T : class => (JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject)?["status"]?.DeepClone();

    /// <summary>
    /// A stable hash of what the caller asks for: the object without server-owned metadata, status and the revision
    /// annotation itself. Equal inputs give equal revisions across processes.
    /// </summary>
    public static string Revision<T>(T obj, string revisionAnnotation)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (JsonNode.Parse(KubernetesJson.Serialize(obj)) is not JsonObject root)
        {
            return string.Empty;
        }

        root.Remove("status");
        if (root["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink" })
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove(revisionAnnotation);
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        var canonical = Canonical(root)!.ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    // Object keys sorted so that property order (dictionary insertion order) never changes the hash.
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
