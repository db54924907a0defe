using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering.Objects;

namespace NetworkOperator.Rendering.Common;

/// <summary>
/// The value of <c>nvidia.network-operator.revision</c>: 64-bit FNV-1a over the canonical JSON (sorted keys, no
/// whitespace) of the object without its own revision annotation, as a decimal string. Upstream hashes Go's JSON
/// with 32-bit FNV-1a; the values differ, which only costs one extra update per object after switching over.
/// </summary>
public static class RevisionHash
{
    public static string Compute(IKubernetesObject<V1ObjectMeta> obj) => Compute(ObjectJson.ToNode(obj));

    public static string Compute(JsonObject objectJson)
    {
        ArgumentNullException.ThrowIfNull(objectJson);
        var copy = objectJson.DeepClone().AsObject();
        if (copy["metadata"] is JsonObject metadata && metadata["annotations"] is JsonObject annotations)
        {
            annotations.Remove(Annotations.Revision);
            if (annotations.Count == 0)
            {
                metadata.Remove("annotations");
            }
        }

        return Fnv1a.Hash64(ObjectJson.CanonicalUtf8(copy)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Computes the hash and stores it in the object's revision annotation.</summary>
    public static string Stamp(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        obj.Metadata ??= new V1ObjectMeta();
        obj.Metadata.Annotations?.Remove(Annotations.Revision);
        if (obj.Metadata.Annotations is { Count: 0 })
        {
            obj.Metadata.Annotations = null;
        }

        var revision = Compute(obj);
        obj.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        obj.Metadata.Annotations[Annotations.Revision] = revision;
        return revision;
    }
}
