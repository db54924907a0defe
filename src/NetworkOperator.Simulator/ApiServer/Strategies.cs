using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Lifecycle;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// Per-kind rules of the real server's registry strategies: what create resets, what an update may change, when a
/// deletion is graceful and when a marked object is finally removed.
/// </summary>
internal static class Strategies
{
    public static void PrepareForCreate(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        if (type.IsCustom)
        {
            return;
        }

        DisabledPodFields.Drop(type, obj, old: null);
        switch (type.Group, type.Kind)
        {
            case ("", "Namespace"):
                {
                    var spec = obj["spec"] as JsonObject ?? new JsonObject();
                    obj["spec"] = spec;
                    spec["finalizers"] = new JsonArray(Finalizers.Kubernetes);
                    obj["status"] = new JsonObject { ["phase"] = "Active" };
                    break;
                }

            case ("", "Pod"):
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QualityOfService.Of(obj) };
                break;
            case ("", "PersistentVolumeClaim"):
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("", "PersistentVolume"):
                // PersistentVolumeLastPhaseTransitionTime is GA in 1.31: a new volume starts Pending with the time of it.
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["lastPhaseTransitionTime"] = Timestamp.Format(now) };
                break;
            case ("batch", "Job"):
                JobSelector.Generate(obj);
                break;
            case ("", "Service"):
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                {
                    var metadata = obj.Metadata();
                    var finalizers = metadata["finalizers"] as JsonArray ?? [];
                    metadata["finalizers"] = finalizers;
                    if (!finalizers.Any(f => f?.ToString() == Finalizers.CustomResourceCleanup))
                    {
                        finalizers.Add(Finalizers.CustomResourceCleanup);
                    }

                    break;
                }
        }
    }

    public static JsonObject PrepareForUpdate(ResourceType type, JsonObject old, JsonObject desired, string? subresource,
        string name, string scope)
    {
        JsonObject result;
        var oldMetadata = old.Metadata();
        if (subresource == "status")
        {
            result = old.DeepClone().AsObject();
            SetOrRemove(result, "status", desired["status"]?.DeepClone());
        }
        else if (subresource == "binding")
        {
            // pods/binding: the node, the Binding's annotations and the PodScheduled condition; nothing else.
            result = old.DeepClone().AsObject();
            result["spec"]!["nodeName"] = desired["spec"]?["nodeName"]?.DeepClone();
            SetOrRemove(result.Metadata(), "annotations", desired.Metadata()["annotations"]?.DeepClone());
            SetOrRemove(result, "status", desired["status"]?.DeepClone());
        }
        else if (subresource == "finalize")
        {
            result = old.DeepClone().AsObject();
            var spec = result["spec"] as JsonObject ?? new JsonObject();
            result["spec"] = spec;
            SetOrRemove(spec, "finalizers", (desired["spec"] as JsonObject)?["finalizers"]?.DeepClone());
        }
        else
        {
            result = desired;
            result["kind"] = type.Kind;
            result["apiVersion"] = type.ApiVersion;
            var metadata = result.Metadata();
            metadata["name"] = name;
            if (type.Namespaced)
            {
                metadata["namespace"] = scope;
            }
            else
            {
                metadata.Remove("namespace");
            }

            foreach (var key in new[] { "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                SetOrRemove(metadata, key, oldMetadata[key]?.DeepClone());
            }

            // The stored UID fills in a missing one; a different one stays for validation to refuse (field is immutable).
            if (string.IsNullOrEmpty(metadata.GetString("uid")))
            {
                SetOrRemove(metadata, "uid", oldMetadata["uid"]?.DeepClone());
            }

            if (!metadata.ContainsKey("managedFields") && oldMetadata["managedFields"] is { } managed)
            {
                metadata["managedFields"] = managed.DeepClone();
            }

            if (type.HasStatusSubresource)
            {
                SetOrRemove(result, "status", old["status"]?.DeepClone());
            }

            if (oldMetadata["deletionTimestamp"] is not null)
            {
                var before = Names(oldMetadata["finalizers"]);
                var added = Names(metadata["finalizers"]).Where(f => !before.Contains(f)).ToList();
                if (added.Count > 0)
                {
                    throw ApiErrors.Invalid(type, name, "metadata.finalizers", "FieldValueForbidden",
                        "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers " +
                        "[]string{\"" + string.Join("\", \"", added) + "\"}");
                }
            }

            if (!type.IsCustom && subresource is null)
            {
                DisabledPodFields.Drop(type, result, old);
            }

            if (metadata["labels"] is JsonObject { Count: 0 })
            {
                metadata.Remove("labels");
            }

            if (metadata["annotations"] is JsonObject { Count: 0 })
            {
                metadata.Remove("annotations");
            }

            if (metadata["finalizers"] is JsonArray { Count: 0 })
            {
                metadata.Remove("finalizers");
            }
        }

        var resultMetadata = result.Metadata();
        resultMetadata["resourceVersion"] = oldMetadata["resourceVersion"]?.DeepClone();
        if (type.TracksGeneration)
        {
            // A status write keeps everything but the status of the stored object (cloned above), so only other writes
            // can change what the generation counts; comparing a large pod spec with itself was a tenth of every
            // kubelet status write.
            var generation = oldMetadata["generation"].GetInt64() ?? 1;
            if (subresource != "status" && SpecChanged(type, old, result))
            {
                generation++;
            }

            resultMetadata["generation"] = generation;
        }

        return result;
    }

    /// <summary>True when an update removed the last thing holding a marked object: the store then deletes it.</summary>
    public static bool IsReadyToRemove(ResourceType type, JsonObject obj)
    {
        var metadata = obj.Metadata();
        if (metadata["deletionTimestamp"] is null || metadata["finalizers"] is JsonArray { Count: > 0 })
        {
            return false;
        }

        if (type is { Group: "", Kind: "Namespace" })
        {
            return (obj["spec"] as JsonObject)?["finalizers"] is not JsonArray { Count: > 0 };
        }

        if (type is { Group: "", Kind: "Pod" })
        {
            return (metadata["deletionGracePeriodSeconds"].GetInt64() ?? 0) == 0;
        }

        return true;
    }

    public static bool NeedsGracefulDeletion(ResourceType type, JsonObject obj, DeleteOptions options, SimulatedApiServerOptions server)
    {
        if (type is { Group: "", Kind: "Namespace" })
        {
            return (obj["spec"] as JsonObject)?["finalizers"] is JsonArray { Count: > 0 };
        }

        if (type is { Group: "", Kind: "Pod" } && server.GracefulPodDeletion)
        {
            var scheduled = (obj["spec"] as JsonObject)?.GetString("nodeName") is { Length: > 0 };
            var phase = (obj["status"] as JsonObject)?.GetString("phase");
            return scheduled && phase is not ("Succeeded" or "Failed") && (options.GracePeriodSeconds ?? GracePeriodOf(obj)) > 0;
        }

        return false;
    }

    public static long GracePeriodOf(JsonObject obj) =>
        (obj["spec"] as JsonObject)?["terminationGracePeriodSeconds"].GetInt64() ?? 30;

    public static void PrepareForDeletion(ResourceType type, JsonObject obj)
    {
        if (type is { Group: "", Kind: "Namespace" })
        {
            var status = obj["status"] as JsonObject ?? new JsonObject();
            obj["status"] = status;
            status["phase"] = "Terminating";
        }
    }

    private static bool SpecChanged(ResourceType type, JsonObject old, JsonObject updated)
    {
        foreach (var (key, value) in updated)
        {
            if (key is "metadata" or "kind" or "apiVersion" || (key == "status" && type.HasStatusSubresource))
            {
                continue;
            }

            if (!JsonNode.DeepEquals(value, old[key]))
            {
                return true;
            }
        }

        foreach (var (key, _) in old)
        {
            if (key is "metadata" or "kind" or "apiVersion" || (key == "status" && type.HasStatusSubresource))
            {
                continue;
            }

            if (!updated.ContainsKey(key))
            {
                return true;
            }
        }

        // The real server also bumps generation when deletion starts.
        return old.Metadata()["deletionTimestamp"] is null && updated.Metadata()["deletionTimestamp"] is not null;
    }

    private static HashSet<string> Names(JsonNode? array) =>
        (array as JsonArray)?.Select(n => n?.ToString() ?? "").ToHashSet(StringComparer.Ordinal) ?? [];

    private static void SetOrRemove(JsonObject obj, string key, JsonNode? value)
    {
        if (value is null)
        {
            obj.Remove(key);
        }
        else
        {
            obj[key] = value;
        }
    }
}
