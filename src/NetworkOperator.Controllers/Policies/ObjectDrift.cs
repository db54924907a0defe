using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Finds where a live object no longer holds what the operator wrote: a field it set that someone changed or removed.
/// What the server or other controllers only add (defaults, status, their own labels and annotations, a Service's
/// cluster IP, a webhook's injected CA bundle) is not drift, so an untouched object never needs a write. Lists must keep
/// their length and match item by item, so an added or removed container, env var or rule counts as drift.
/// </summary>
public static class ObjectDrift
{
    // Server-owned metadata; the owner reference is checked by the applier itself.
    private static readonly HashSet<string> IgnoredMetadata = new(StringComparer.Ordinal)
    {
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "managedFields", "selfLink", "ownerReferences", "finalizers",
    };

    // Verdicts per live object: a cached object is never changed in place (a new version is a new instance), and the
    // desired object is fixed by its revision, so a pass that meets the same live object at the same revision again
    // (every policy pass does, for every object it renders) gets the verdict without serializing either.
    private static readonly ConditionalWeakTable<IKubernetesObject, Verdict> Verdicts = new();

    /// <summary>
    /// <see cref="Find(JsonObject, IKubernetesObject)"/> for <paramref name="desired"/> stamped with
    /// <paramref name="revision"/>, remembered for this <paramref name="live"/> instance.
    /// </summary>
    public static string? Find(IKubernetesObject desired, IKubernetesObject live, string revision)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(revision);
        if (Verdicts.TryGetValue(live, out var known) && known.Revision == revision && known.Kind == desired.Kind)
        {
            return known.Field;
        }

        var field = Find(Reference(desired), live);
        Verdicts.AddOrUpdate(live, new Verdict(revision, desired.Kind, field));
        return field;
    }

    /// <summary>The object as JSON with the server-owned parts (status, server metadata) removed: what drift is measured against.</summary>
    public static JsonObject Reference(IKubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject ?? [];
        json.Remove("status");
        if (obj.Kind == "ServiceAccount")
        {
            // A ServiceAccount's secrets belong to the token controller and image-pull-secret injectors (the applier
            // carries them over on update), never ours to restore.
            json.Remove("secrets");
            json.Remove("imagePullSecrets");
        }

        if (json["metadata"] is JsonObject meta)
        {
            foreach (var name in IgnoredMetadata)
            {
                meta.Remove(name);
            }
        }

        return json;
    }

    /// <summary>The path of the first field of <paramref name="reference"/> that <paramref name="live"/> does not hold, or null.</summary>
    public static string? Find(JsonObject reference, IKubernetesObject live)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(live);
        return Find(reference, JsonNode.Parse(KubernetesJson.Serialize(live)), string.Empty);
    }

    private static string? Find(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                return null;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    // An empty object written is the same as none (the server may drop it).
                    return actual is null or JsonObject ? null : Name(path);
                }

                if (actual is not JsonObject liveObj)
                {
                    return Name(path);
                }

                foreach (var (key, value) in obj)
                {
                    if (Find(value, liveObj[key], path.Length == 0 ? key : $"{path}.{key}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                if (actual is null && array.Count == 0)
                {
                    return null;
                }

                if (actual is not JsonArray liveArray || liveArray.Count != array.Count)
                {
                    return Name(path);
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (Find(array[i], liveArray[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return actual is JsonValue && SameValue(expected.AsValue(), actual.AsValue()) ? null : Name(path);
        }
    }

    private static bool SameValue(JsonValue expected, JsonValue actual)
    {
        if (JsonNode.DeepEquals(expected, actual))
        {
            return true;
        }

        // 1 and 1.0 are the same number however either side printed it.
        return expected.GetValueKind() == System.Text.Json.JsonValueKind.Number && actual.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && decimal.TryParse(expected.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var a)
            && decimal.TryParse(actual.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var b)
            && a == b;
    }

    private static string Name(string path) => path.Length == 0 ? "(object)" : path;

    private sealed record Verdict(string Revision, string? Kind, string? Field);
}
