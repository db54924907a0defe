using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The apiextensions controller's job, done synchronously: a stored CRD is served at once and reports the
/// NamesAccepted and Established conditions (so `kubectl wait --for=condition=Established` returns).
/// </summary>
internal static class CustomResourceDefinitions
{
    public static async Task<StoredObject> OnCreatedOrUpdatedAsync(ResourceService service, StoredObject stored, CancellationToken cancellationToken)
    {
        var crd = stored.ToJsonObject();
        if (crd.Metadata()["deletionTimestamp"] is not null)
        {
            return stored;
        }

        service.Registry.RegisterCustomResource(crd);
        var type = service.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        var now = Timestamp.Format(service.Time.GetUtcNow());
        return await service.GuaranteedUpdateAsync(type, "", stored.Name, 0, "status", WriteOptions.Default, (current, _) =>
        {
            var spec = current["spec"] as JsonObject ?? new JsonObject();
            var status = current["status"] as JsonObject ?? new JsonObject();
            current["status"] = status;
            status["acceptedNames"] = spec["names"]?.DeepClone() ?? new JsonObject();
            var conditions = status["conditions"] as JsonArray ?? [];
            status["conditions"] = conditions;
            SetCondition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found", now);
            SetCondition(conditions, "Established", "InitialNamesAccepted", "the initial names have been accepted", now);
            var stored = status["storedVersions"] as JsonArray ?? [];
            status["storedVersions"] = stored;
            foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (version["storage"].GetBool() == true && version.GetString("name") is { } name
                    && !stored.Any(v => v?.ToString() == name))
                {
                    stored.Add(name);
                }
            }

            return current;
        }, cancellationToken);
    }

    private static void SetCondition(JsonArray conditions, string type, string reason, string message, string now)
    {
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);
        if (existing is not null && existing.GetString("status") == "True")
        {
            return;
        }

        if (existing is not null)
        {
            conditions.Remove(existing);
        }

        conditions.Add(new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        });
    }

    /// <summary>Rejects CRDs the real server would refuse before they can break serving.</summary>
    internal sealed class Validation : IAdmissionStep
    {
        public bool IsMutating => false;

        public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
        {
            if (context.Type is not { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" } || context.Operation == "DELETE"
                || context.Subresource is not null)
            {
                return ValueTask.CompletedTask;
            }

            var causes = new List<StatusCause>();
            var spec = context.Object["spec"] as JsonObject;
            var group = spec?.GetString("group") ?? "";
            var names = spec?["names"] as JsonObject;
            var plural = names?.GetString("plural") ?? "";
            if (group.Length == 0)
            {
                causes.Add(new("FieldValueRequired", "Required value", "spec.group"));
            }

            if (plural.Length == 0)
            {
                causes.Add(new("FieldValueRequired", "Required value", "spec.names.plural"));
            }

            if (string.IsNullOrEmpty(names?.GetString("kind")))
            {
                causes.Add(new("FieldValueRequired", "Required value", "spec.names.kind"));
            }

            if (spec?.GetString("scope") is not ("Namespaced" or "Cluster"))
            {
                causes.Add(new("FieldValueNotSupported", "Unsupported value: \"" + spec?.GetString("scope") +
                    "\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope"));
            }

            var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            if (versions.Count == 0)
            {
                causes.Add(new("FieldValueInvalid", "Invalid value: \"null\": must have exactly one version marked as storage version", "spec.versions"));
            }
            else if (versions.Count(v => v["storage"].GetBool() == true) != 1)
            {
                causes.Add(new("FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version", "spec.versions"));
            }

            for (var i = 0; i < versions.Count; i++)
            {
                if ((versions[i]["subresources"] as JsonObject)?["scale"] is JsonObject scale)
                {
                    ValidateScale(scale, $"spec.versions[{i}].subresources.scale", causes);
                }
            }

            if (plural.Length > 0 && group.Length > 0 && context.Name != $"{plural}.{group}")
            {
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{context.Name}\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
            }

            if (causes.Count > 0)
            {
                throw ApiErrors.Invalid(context.Type, context.Name, causes);
            }

            return ValueTask.CompletedTask;
        }

        // The scale paths must point under spec (desired), status (current) and either (selector).
        private static void ValidateScale(JsonObject scale, string path, List<StatusCause> causes)
        {
            var spec = scale.GetString("specReplicasPath") ?? "";
            if (spec.Length == 0)
            {
                causes.Add(new("FieldValueRequired", "Required value", path + ".specReplicasPath"));
            }
            else if (!spec.StartsWith(".spec.", StringComparison.Ordinal))
            {
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{spec}\": should be a json path under .spec", path + ".specReplicasPath"));
            }

            var status = scale.GetString("statusReplicasPath") ?? "";
            if (status.Length == 0)
            {
                causes.Add(new("FieldValueRequired", "Required value", path + ".statusReplicasPath"));
            }
            else if (!status.StartsWith(".status.", StringComparison.Ordinal))
            {
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{status}\": should be a json path under .status", path + ".statusReplicasPath"));
            }

            if (scale.GetString("labelSelectorPath") is { Length: > 0 } selector
                && !selector.StartsWith(".spec.", StringComparison.Ordinal) && !selector.StartsWith(".status.", StringComparison.Ordinal))
            {
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{selector}\": should be a json path under either .spec or .status",
                    path + ".labelSelectorPath"));
            }
        }
    }
}
