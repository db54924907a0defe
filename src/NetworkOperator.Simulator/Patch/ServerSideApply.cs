using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Patch;

/// <summary>
/// Server-side apply as create-or-merge: a missing object is created from the applied configuration, an existing
/// one gets it merged in (strategic merge for built-in kinds). Field ownership is not tracked, so fields dropped from
/// a later apply stay (documented gap in docs/simulator.md).
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

        if (string.IsNullOrEmpty(options.FieldManager))
        {
            throw ApiErrors.BadRequest("PATCH, with apply, must have a non-empty fieldManager");
        }

        var metadata = applied.Metadata();
        if (metadata.GetString("name") is { Length: > 0 } bodyName && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        for (var attempt = 0; ; attempt++)
        {
            if (service.TryGet(type, scope, name) is null)
            {
                if (subresource is not null)
                {
                    throw ApiErrors.NotFound(type, name);
                }

                var create = applied.DeepClone().AsObject();
                create.Metadata()["name"] = name;
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
                    var body = applied.DeepClone().AsObject();
                    body.Metadata().Remove("resourceVersion");
                    var merged = type.IsCustom ? MergePatch.Apply(current, body) : StrategicMergePatch.Apply(current, body);
                    return merged as JsonObject ?? throw ApiErrors.BadRequest("apply produced no object");
                }, cancellationToken);
            }
            catch (ApiException ex) when (ex.Code == 404 && attempt < 3)
            {
            }
        }
    }
}
