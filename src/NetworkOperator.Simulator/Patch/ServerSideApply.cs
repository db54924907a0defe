using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Patch;

/// <summary>
/// Server-side apply: a missing object is created from the applied configuration; an existing one gets it merged in
/// (strategic merge for built-in kinds, merge patch for custom resources), and the fields this manager applied before
/// but leaves out now are removed unless another apply manager owns them (ownership in metadata.managedFields).
/// Not modelled: ownership taken by non-apply updates, and conflicts between managers (see docs/simulator.md).
/// </summary>
internal static class ServerSideApply
{
    public static async Task<StoredObject> ApplyAsync(ResourceService service, ResourceType type, string scope, string name,
        JsonNode? patch, string? subresource, WriteOptions options, CancellationToken cancellationToken)
    {
        if (patch is not JsonObject applied)
        {
            throw ApiErrors.BadRequest("apply patch must be an object");
        }

        var manager = options.FieldManager;
        if (string.IsNullOrEmpty(manager))
        {
            throw ApiErrors.InvalidRequest("meta.k8s.io", "PatchOptions", [RequestOptionsValidation.ApplyWithoutFieldManager]);
        }

        var metadata = applied.Metadata();
        if (metadata.GetString("name") is { Length: > 0 } bodyName && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        UnknownFields.CheckApplied(type, applied);
        var body = applied.DeepClone().AsObject();
        UnknownFields.Prune(type, body);
        body.Metadata().Remove("resourceVersion");
        body.Metadata().Remove("managedFields");
        var fields = ManagedFields.FieldsOf(body, type);
        for (var attempt = 0; ; attempt++)
        {
            if (service.TryGet(type, scope, name) is null)
            {
                if (subresource is not null)
                {
                    throw ApiErrors.NotFound(type, name);
                }

                var create = body.DeepClone().AsObject();
                create.Metadata()["name"] = name;
                ManagedFields.WriteApplyEntry(create, manager, type.ApiVersion, fields, Timestamp.Format(service.Time.GetUtcNow()));
                try
                {
                    return await service.CreateAsync(type, scope, create, options, cancellationToken);
                }
                catch (ApiException ex) when (ex.Code == 409 && ex.Reason == "AlreadyExists" && attempt < 3)
                {
                    continue;
                }
            }

            try
            {
                return await service.GuaranteedUpdateAsync(type, scope, name, 0, subresource, options, (current, _) =>
                {
                    var owners = ManagedFields.Read(current);
                    owners.TryGetValue((manager, "Apply"), out var previous);
                    var merged = (type.IsCustom ? MergePatch.Apply(current.DeepClone(), body) : StrategicMergePatch.Apply(current, body)) as JsonObject
                                 ?? throw ApiErrors.BadRequest("apply produced no object");
                    if (previous is not null)
                    {
                        var others = owners.Where(kv => kv.Key != (manager, "Apply")).SelectMany(kv => kv.Value).ToHashSet(StringComparer.Ordinal);
                        foreach (var path in previous.Except(fields).OrderBy(p => p.Length))
                        {
                            if (!others.Contains(path) && !others.Any(o => o.StartsWith(path + "\n", StringComparison.Ordinal)))
                            {
                                ManagedFields.Remove(merged, path);
                            }
                        }
                    }

                    // Nothing changed and the same fields applied: keep the object (and its managedFields time) as is.
                    if (JsonNode.DeepEquals(merged, current) && previous is not null && previous.SetEquals(fields))
                    {
                        return merged;
                    }

                    ManagedFields.WriteApplyEntry(merged, manager, type.ApiVersion, fields, Timestamp.Format(service.Time.GetUtcNow()));
                    return merged;
                }, cancellationToken);
            }
            catch (ApiException ex) when (ex.Code == 404 && attempt < 3)
            {
            }
        }
    }
}
