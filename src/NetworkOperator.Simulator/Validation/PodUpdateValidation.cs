using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// What an update may change in a pod's spec (ValidatePodUpdate of Kubernetes 1.32, in-place resize off): container
/// and init container images, a shorter activeDeadlineSeconds, added tolerations (and tolerationSeconds), removed
/// scheduling gates, terminationGracePeriodSeconds from negative to 1, and, while the pod is gated, additions to its
/// nodeSelector. Anything else, spec.nodeName included (a scheduler binds through pods/binding), is refused.
/// </summary>
internal static class PodUpdateValidation
{
    private const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)," +
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static void Validate(FieldErrors errors, JsonObject pod, JsonObject old)
    {
        var spec = Obj(pod, "spec") ?? new JsonObject();
        var oldSpec = Obj(old, "spec") ?? new JsonObject();
        var path = FieldPath.Root("spec");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (!ContainerUpdates(errors, spec[list] as JsonArray, oldSpec[list] as JsonArray, path.Child(list)))
            {
                return;
            }
        }

        if (!ActiveDeadline(errors, spec, oldSpec, path.Child("activeDeadlineSeconds")))
        {
            return;
        }

        OnlyAddedTolerations(errors, spec["tolerations"] as JsonArray, oldSpec["tolerations"] as JsonArray, path.Child("tolerations"));
        OnlyDeletedSchedulingGates(errors, spec["schedulingGates"] as JsonArray, oldSpec["schedulingGates"] as JsonArray, path.Child("schedulingGates"));

        // Most pod updates (labels, annotations, finalizers) leave the spec alone: no copy to compare then.
        if (SemanticEquals(spec, oldSpec))
        {
            return;
        }

        var munged = Munge(spec, oldSpec, errors, path);
        if (!SemanticEquals(munged, oldSpec))
        {
            errors.Forbidden(path, $"pod updates may not change fields other than {UpdatableFields}\n{Diff(oldSpec, munged)}");
        }
    }

    private static bool ContainerUpdates(FieldErrors errors, JsonArray? containers, JsonArray? old, FieldPath path)
    {
        if ((containers?.Count ?? 0) != (old?.Count ?? 0))
        {
            errors.Forbidden(path, "pod updates may not add or remove containers");
            return false;
        }

        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            var image = Str(containers![i] as JsonObject, "image") ?? "";
            if (image.Length == 0)
            {
                errors.Required(path.Index(i).Child("image"), "");
            }
            else if (image.Trim().Length != image.Length)
            {
                errors.Invalid(path.Index(i).Child("image"), image, "must not have leading or trailing whitespace");
            }
        }

        return true;
    }

    private static bool ActiveDeadline(FieldErrors errors, JsonObject spec, JsonObject old, FieldPath path)
    {
        var value = spec["activeDeadlineSeconds"].GetInt64();
        var previous = old["activeDeadlineSeconds"].GetInt64();
        if (value is { } seconds)
        {
            if (seconds is < 0 or > int.MaxValue)
            {
                errors.Invalid(path, seconds, NameRules.InclusiveRangeError(0, int.MaxValue));
                return false;
            }

            if (previous is { } before && before < seconds)
            {
                errors.Invalid(path, seconds, "must be less than or equal to previous value");
                return false;
            }
        }
        else if (previous is not null)
        {
            errors.InvalidPrinted(path, "null", "must not update from a positive integer to nil value");
        }

        return true;
    }

    private static void OnlyAddedTolerations(FieldErrors errors, JsonArray? tolerations, JsonArray? old, FieldPath path)
    {
        foreach (var existing in (old ?? []).OfType<JsonObject>())
        {
            var kept = (tolerations ?? []).OfType<JsonObject>().Any(t =>
            {
                var withSeconds = existing.DeepClone().AsObject();
                withSeconds.Remove("tolerationSeconds");
                if (t["tolerationSeconds"] is { } seconds)
                {
                    withSeconds["tolerationSeconds"] = seconds.DeepClone();
                }

                return SemanticEquals(withSeconds, t);
            });
            if (!kept)
            {
                errors.Forbidden(path, "existing toleration can not be modified except its tolerationSeconds");
                return;
            }
        }
    }

    private static void OnlyDeletedSchedulingGates(FieldErrors errors, JsonArray? gates, JsonArray? old, FieldPath path)
    {
        var previous = (old ?? []).Select(g => Str(g as JsonObject, "name")).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < (gates?.Count ?? 0); i++)
        {
            if (Str(gates![i] as JsonObject, "name") is { } name && !previous.Contains(name))
            {
                errors.Forbidden(path.Index(i).Child("name"), $"only deletion is allowed, but found new scheduling gate '{name}'");
            }
        }
    }

    /// <summary>The new spec with every field an update may change set back to the old value.</summary>
    private static JsonObject Munge(JsonObject spec, JsonObject old, FieldErrors errors, FieldPath path)
    {
        var munged = spec.DeepClone().AsObject();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (munged[list] is JsonArray containers && old[list] is JsonArray previous)
            {
                for (var i = 0; i < containers.Count && i < previous.Count; i++)
                {
                    if (containers[i] is JsonObject container)
                    {
                        container["image"] = previous[i]?["image"]?.DeepClone();
                    }
                }
            }
        }

        foreach (var field in new[] { "activeDeadlineSeconds", "schedulingGates", "tolerations" })
        {
            Restore(munged, old, field);
        }

        if (old["terminationGracePeriodSeconds"].GetInt64() is < 0 && munged["terminationGracePeriodSeconds"].GetInt64() == 1)
        {
            Restore(munged, old, "terminationGracePeriodSeconds");
        }

        // A pod still gated may gain node selector terms (PodSchedulingReadiness); none may be changed or removed.
        if (old["schedulingGates"] is JsonArray { Count: > 0 } && !SemanticEquals(munged["nodeSelector"], old["nodeSelector"]))
        {
            var added = munged["nodeSelector"] as JsonObject ?? [];
            foreach (var (key, value) in (old["nodeSelector"] as JsonObject ?? []))
            {
                if (added[key]?.ToString() != value?.ToString())
                {
                    errors.InvalidPrinted(path.Child("nodeSelector"), GoValue.StringMap(added), "only additions to spec.nodeSelector are allowed (no mutations or deletions)");
                    break;
                }
            }

            Restore(munged, old, "nodeSelector");
        }

        return munged;
    }

    private static void Restore(JsonObject target, JsonObject old, string field)
    {
        if (old[field] is { } value)
        {
            target[field] = value.DeepClone();
        }
        else
        {
            target.Remove(field);
        }
    }

    /// <summary>Go's semantic equality of API objects: nil and empty maps or lists are equal, quantities by value.</summary>
    private static bool SemanticEquals(JsonNode? a, JsonNode? b)
    {
        if (IsEmpty(a) || IsEmpty(b))
        {
            return IsEmpty(a) && IsEmpty(b);
        }

        switch (a)
        {
            case JsonObject x when b is JsonObject y:
                var keys = x.Where(kv => !IsEmpty(kv.Value)).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
                return keys.SetEquals(y.Where(kv => !IsEmpty(kv.Value)).Select(kv => kv.Key)) && keys.All(k => SemanticEquals(x[k], y[k]));
            case JsonArray x when b is JsonArray y:
                return x.Count == y.Count && x.Zip(y).All(p => SemanticEquals(p.First, p.Second));
            case JsonValue when b is JsonValue:
                return JsonNode.DeepEquals(a, b) || (a.ToString() is var left && b.ToString() is var right
                    && Quantity.TryParse(left) is { } q1 && Quantity.TryParse(right) is { } q2 && q1.Value == q2.Value);
            default:
                return false;
        }
    }

    private static bool IsEmpty(JsonNode? node) => node is null || node is JsonObject { Count: 0 } || node is JsonArray { Count: 0 };

    /// <summary>
    /// The changed fields as lines of a -/+ diff under the spec, in the spirit of the cmp.Diff the real message carries
    /// (which prints Go structs: field names and layout differ).
    /// </summary>
    private static string Diff(JsonObject old, JsonObject updated)
    {
        var lines = new StringBuilder("  core.PodSpec{\n");
        Walk(old, updated, "");
        return lines.Append("  }\n").ToString();

        void Walk(JsonNode? before, JsonNode? after, string path)
        {
            if (SemanticEquals(before, after))
            {
                return;
            }

            if (before is JsonObject a && after is JsonObject b)
            {
                foreach (var key in a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)))
                {
                    Walk(a[key], b[key], path.Length == 0 ? key : path + "." + key);
                }

                return;
            }

            if (before is JsonArray x && after is JsonArray y && x.Count == y.Count)
            {
                for (var i = 0; i < x.Count; i++)
                {
                    Walk(x[i], y[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                }

                return;
            }

            lines.Append("- \t").Append(path).Append(": ").Append(before?.ToJsonString() ?? "null").Append('\n');
            lines.Append("+ \t").Append(path).Append(": ").Append(after?.ToJsonString() ?? "null").Append('\n');
        }
    }
}
