using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Tables;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The <c>/scale</c> subresource as the real registries serve it (the apps and core ScaleREST, the CRD handler's):
/// reads show the object as an autoscaling/v1 Scale; a PUT or PATCH applies to that Scale and copies only its
/// desired replicas back, then goes through the parent's own update path (strategy, validation, generation), so
/// <c>kubectl scale</c> and HorizontalPodAutoscaler-style clients work.
/// </summary>
internal static class Scales
{
    /// <summary>autoscaling/v1 Scale: the kind a Scale write is refused as and the table it prints as.</summary>
    public static readonly ResourceType Type = new()
    {
        Group = "autoscaling", Version = "v1", Kind = "Scale", Plural = "scales", Singular = "scale", Namespaced = true,
    };

    // The CRD handler's marker for a custom resource whose spec has no replicas yet (Go's smallest int32).
    private const long MissingReplicas = int.MinValue;

    /// <summary>The Scale view of a stored object of a kind with a scale subresource.</summary>
    public static JsonObject From(ResourceType type, JsonObject obj) => From(type, obj, out _);

    public static JsonObject Get(ResourceService service, ResourceType type, string? ns, string name)
    {
        var scale = From(type, service.Get(type, ns, name).ToJsonObject(), out var specFound);
        if (!specFound && type.Scale!.IsCustom)
        {
            throw ApiErrors.Internal($"Internal error occurred: the spec replicas field \"{type.Scale.SpecReplicasPath}\" does not exist");
        }

        return scale;
    }

    /// <summary>
    /// Writes the desired replicas of the Scale <paramref name="update"/> makes from the current one (a PUT body, a
    /// patched Scale) into the object, through the parent's update path; returns the Scale of the result.
    /// </summary>
    public static async Task<JsonObject> UpdateAsync(ResourceService service, ResourceType type, string? ns, string name,
        Func<JsonObject, JsonObject> update, string? uidPrecondition, WriteOptions options, CancellationToken cancellationToken)
    {
        var scale = type.Scale!;
        var scope = type.Namespaced ? ns ?? "" : "";
        var stored = await service.GuaranteedUpdateAsync(type, scope, name, 0, "scale", options, (current, currentStored) =>
        {
            var oldScale = From(type, current, out var specFound);
            if (!specFound && scale.IsCustom)
            {
                oldScale["spec"]!["replicas"] = Number(MissingReplicas);
            }

            var newScale = update(oldScale);
            var replicas = Replicas(newScale);
            if (scale.IsCustom)
            {
                if (replicas == MissingReplicas)
                {
                    throw ApiErrors.BadRequest($"the spec replicas field \"{scale.SpecReplicasPath}\" cannot be empty");
                }
            }
            else
            {
                Validate(newScale, current.Metadata().GetString("name") ?? name, replicas);
                if (newScale.Metadata().GetString("uid") is { Length: > 0 } uid && uid != currentStored.Uid)
                {
                    throw ApiErrors.ConflictWithMessage(SubresourceOf(type), name,
                        $"Precondition failed: UID in precondition: {uid}, UID in object meta: {currentStored.Uid}");
                }
            }

            // The Scale's resourceVersion becomes the object's: a stale one is the usual 409.
            var version = ResourceService.ResourceVersionPrecondition(type, name, newScale.Metadata().GetString("resourceVersion"));
            if (version != 0 && version != currentStored.ResourceVersion)
            {
                throw ApiErrors.Conflict(type, name);
            }

            SetPath(current, scale.SpecReplicasPath, replicas);
            return current;
        }, cancellationToken, uidPrecondition).ConfigureAwait(false);
        return From(type, stored.ToJsonObject());
    }

    /// <summary>
    /// The handlers' checks of a PUT body or a patched Scale: a Scale (kind and apiVersion, when given, say so) of the
    /// URL's namespace and name, with replicas Go can decode into an int32.
    /// </summary>
    public static JsonObject Check(JsonObject body, ResourceType type, string name, string? ns)
    {
        ResourceService.NormalizeTypeMeta(Type, body);
        var scope = type.Namespaced ? ns ?? "" : "";
        ResourceService.CheckNameAndNamespace(type, body.Metadata(), name, scope);
        if (type.Namespaced)
        {
            body.Metadata()["namespace"] = scope;
        }

        Replicas(body);
        return body;
    }

    private static JsonObject From(ResourceType type, JsonObject obj, out bool specFound)
    {
        var scale = type.Scale!;
        var metadata = obj.Metadata();
        var scaleMetadata = new JsonObject { ["name"] = metadata["name"]?.DeepClone() };
        foreach (var key in new[] { "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[key] is { } value)
            {
                scaleMetadata[key] = value.DeepClone();
            }
        }

        var specReplicas = ReadInt(obj, scale.SpecReplicasPath);
        specFound = specReplicas is not null;
        var spec = new JsonObject();
        // ScaleSpec.replicas is omitempty; ScaleStatus.replicas is not.
        if (specReplicas is { } desired and not 0)
        {
            spec["replicas"] = Number(desired);
        }

        var status = new JsonObject { ["replicas"] = Number(ReadInt(obj, scale.StatusReplicasPath) ?? 0) };
        if (Selector(obj, scale) is { Length: > 0 } selector)
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = Type.Kind,
            ["apiVersion"] = Type.ApiVersion,
            ["metadata"] = scaleMetadata,
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    private static string? Selector(JsonObject obj, ScaleSubresource scale)
    {
        if (scale.LabelSelectorPath is not { } path)
        {
            return null;
        }

        var node = obj.GetPath(path.TrimStart('.'));
        return scale.SelectorForm switch
        {
            ScaleSelectorForm.LabelSelector => node is JsonObject selector ? Printed(LabelSelectorText.Of(selector)) : null,
            ScaleSelectorForm.LabelMap => node is JsonObject labels ? Printed(LabelSelectorText.OfLabels(labels)) : null,
            _ => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null,
        };
    }

    // The printers' "<none>" is the selector's empty String() here; "<error>" cannot pass the parent's validation.
    private static string Printed(string text) => text == "<none>" ? "" : text;

    private static long? ReadInt(JsonObject obj, string dottedPath)
    {
        var node = obj.GetPath(dottedPath.TrimStart('.'));
        if (node is null)
        {
            return null;
        }

        return node.GetInt64() ?? throw ApiErrors.Internal(
            $"Internal error occurred: {dottedPath.TrimStart('.')} accessor error: {node.ToJsonString()} is of the type {GoTypeOf(node)}, expected int64");
    }

    private static string GoTypeOf(JsonNode node) => node switch
    {
        JsonObject => "map[string]interface {}",
        JsonArray => "[]interface {}",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "float64",
    };

    /// <summary>spec.replicas of a Scale as Go decodes it into an int32 (absent: 0).</summary>
    private static long Replicas(JsonObject scale)
    {
        var node = (scale["spec"] as JsonObject)?["replicas"];
        if (node is null)
        {
            return 0;
        }

        if (node.GetInt64() is { } value && value is >= int.MinValue and <= int.MaxValue)
        {
            return value;
        }

        throw ApiErrors.BadRequest(
            $"Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal {GoJsonKind(node)} into Go struct field ScaleSpec.spec.replicas of type int32");
    }

    private static string GoJsonKind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "number " + node.ToJsonString(),
    };

    /// <summary>ValidateScale: the Scale's metadata and non-negative replicas, refused as Scale.autoscaling.</summary>
    private static void Validate(JsonObject scale, string name, long replicas)
    {
        var errors = new FieldErrors();
        MetadataValidation.ValidateObjectMeta(errors, scale, NameRule.Dns1123Subdomain);
        if (replicas < 0)
        {
            errors.Invalid(FieldPath.Root("spec").Child("replicas"), replicas, "must be greater than or equal to 0");
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(Type, name, errors.Select(e => e.ToCause()).ToList());
        }
    }

    private static void SetPath(JsonObject obj, string dottedPath, long value)
    {
        var parts = dottedPath.TrimStart('.').Split('.');
        var node = obj;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = Number(value);
    }

    // Numbers as the decoder makes them (element-backed), which the schema and CEL steps read.
    private static JsonNode Number(long value) => JsonNode.Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture))!;

    // The registries name the subresource in their own conflicts: deployments/scale.apps.
    private static ResourceType SubresourceOf(ResourceType type) => new()
    {
        Group = type.Group, Version = type.Version, Kind = type.Kind, Plural = type.Plural + "/scale", Singular = type.Singular,
        Namespaced = type.Namespaced,
    };
}
