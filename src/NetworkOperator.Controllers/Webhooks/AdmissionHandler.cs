using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Api;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>
/// Answers one AdmissionReview v1 for our kinds with the validation library's verdict: rejections carry the API server's
/// Invalid status with one cause (field path) per error, soft problems come back as warnings. No rule lives here.
/// </summary>
public sealed class AdmissionHandler
{
    public const string AdmissionApiVersion = "admission.k8s.io/v1";

    private readonly IAdmissionContextProvider _contextProvider;
    private readonly bool _skipValidations;

    public AdmissionHandler(IAdmissionContextProvider? contextProvider = null, bool skipValidations = false)
    {
        _contextProvider = contextProvider ?? NoAdmissionContext.Instance;
        _skipValidations = skipValidations;
    }

    /// <summary>Validates the request of <paramref name="review"/> and returns the AdmissionReview carrying the response.</summary>
    /// <exception cref="AdmissionReviewException">The body is not an AdmissionReview v1 with a request and uid.</exception>
    public async Task<JsonObject> ReviewAsync(JsonNode? review, CancellationToken cancellationToken = default)
    {
        var request = ReadRequest(review, out var uid);
        var response = await DecideAsync(request, cancellationToken);
        response["uid"] = uid;
        return new JsonObject
        {
            ["apiVersion"] = AdmissionApiVersion,
            ["kind"] = "AdmissionReview",
            ["response"] = response,
        };
    }

    private async Task<JsonObject> DecideAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var operation = Text(request["operation"]);
        if (_skipValidations || operation is not ("CREATE" or "UPDATE"))
        {
            // Delete (and connect) are always allowed; SKIP_VALIDATIONS keeps the endpoint but accepts everything.
            return Allowed([]);
        }

        var requestKind = request["kind"] as JsonObject;
        var group = Text(requestKind?["group"]);
        var kindName = Text(requestKind?["kind"]);
        var kind = ResourceKinds.Mellanox.FirstOrDefault(k => k.Group == group && k.Kind == kindName);
        if (kind is null)
        {
            // Not ours: the webhook configuration never sends these, so do not block them.
            return Allowed([$"network-operator webhook: no rules for {group}/{kindName}"]);
        }

        var name = Text(request["name"]) ?? Text((request["object"] as JsonObject)?["metadata"] is JsonObject metadata ? metadata["name"] : null) ?? string.Empty;
        object incoming;
        object? previous;
        try
        {
            incoming = Deserialize(request["object"], kind) ?? throw new AdmissionReviewException("request.object is missing");
            previous = operation == "UPDATE" ? Deserialize(request["oldObject"], kind) : null;
        }
        catch (JsonException ex)
        {
            // Same reading as the manifest reader: the message names the field that did not fit.
            var path = FieldPath.FromJsonPath(ex.Path);
            return Denied(kind, name, [new ValidationError(path, ValidationErrorType.Invalid, $"cannot read the object: {CleanMessage(ex.Message)}")]);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            return Denied(kind, name, [new ValidationError("", ValidationErrorType.Invalid, $"cannot read the object: {CleanMessage(ex.Message)}")]);
        }

        var context = await ContextAsync(kind, cancellationToken);
        var result = incoming is NicClusterPolicy policy && previous is NicClusterPolicy old
            ? NicClusterPolicyValidator.ValidateUpdate(old, policy, context)
            : ObjectValidator.Validate(incoming, context);
        var warnings = result.Warnings.Select(w => w.ToString()).ToList();
        return result.IsValid ? Allowed(warnings) : Denied(kind, name, result.Errors, warnings);
    }

    private async Task<ValidationContext> ContextAsync(ResourceKind kind, CancellationToken cancellationToken)
    {
        if (kind != ResourceKinds.NicClusterPolicy && kind != ResourceKinds.NicNodePolicy)
        {
            return ValidationContext.None;
        }

        try
        {
            return await _contextProvider.GetAsync(kind, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Upstream admits when it cannot list the other objects; the reconciler reports conflicts later anyway.
            return ValidationContext.None;
        }
    }

    private static object? Deserialize(JsonNode? node, ResourceKind kind) =>
        node is JsonObject ? KubernetesObjectSerializer.FromJsonNode(node, kind.ClrType!, strict: false) : null;

    private static JsonObject ReadRequest(JsonNode? review, out string uid)
    {
        if (review is not JsonObject body || Text(body["kind"]) != "AdmissionReview")
        {
            throw new AdmissionReviewException("the body is not an AdmissionReview");
        }

        if (Text(body["apiVersion"]) != AdmissionApiVersion)
        {
            throw new AdmissionReviewException($"only {AdmissionApiVersion} AdmissionReviews are served (admissionReviewVersions: [v1])");
        }

        if (body["request"] is not JsonObject request || Text(request["uid"]) is not { Length: > 0 } id)
        {
            throw new AdmissionReviewException("the AdmissionReview has no request.uid");
        }

        if (request["object"] is not (null or JsonObject) || request["oldObject"] is not (null or JsonObject))
        {
            throw new AdmissionReviewException("request.object and request.oldObject must be objects");
        }

        uid = id;
        return request;
    }

    /// <summary>A string member, or null for anything else (a malformed review must not throw while being read).</summary>
    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static JsonObject Allowed(IReadOnlyList<string> warnings)
    {
        var response = new JsonObject { ["allowed"] = true };
        AddWarnings(response, warnings);
        return response;
    }

    private static JsonObject Denied(ResourceKind kind, string name, IReadOnlyList<ValidationError> errors, IReadOnlyList<string>? warnings = null)
    {
        // Same shape and wording as the API server's own Invalid errors, so kubectl prints it the familiar way.
        var details = errors.Select(e => e.ToString()).ToList();
        var summary = details.Count == 1 ? details[0] : "[" + string.Join(", ", details) + "]";
        var response = new JsonObject
        {
            ["allowed"] = false,
            ["status"] = new JsonObject
            {
                ["status"] = "Failure",
                ["code"] = 422,
                ["reason"] = "Invalid",
                ["message"] = $"{kind.Kind}.{kind.Group} \"{name}\" is invalid: {summary}",
                ["details"] = new JsonObject
                {
                    ["name"] = name,
                    ["group"] = kind.Group,
                    ["kind"] = kind.Kind,
                    ["causes"] = new JsonArray(errors.Select(Cause).ToArray()),
                },
            },
        };
        AddWarnings(response, warnings ?? []);
        return response;
    }

    private static JsonNode Cause(ValidationError error)
    {
        return new JsonObject
        {
            ["reason"] = error.Type switch
            {
                ValidationErrorType.Required => "FieldValueRequired",
                ValidationErrorType.NotSupported => "FieldValueNotSupported",
                ValidationErrorType.Forbidden => "FieldValueForbidden",
                ValidationErrorType.Duplicate => "FieldValueDuplicate",
                _ => "FieldValueInvalid",
            },
            ["message"] = error.Detail,
            ["field"] = error.Field,
        };
    }

    private static void AddWarnings(JsonObject response, IReadOnlyList<string> warnings)
    {
        if (warnings.Count > 0)
        {
            response["warnings"] = new JsonArray(warnings.Select(w => (JsonNode)JsonValue.Create(w)).ToArray());
        }
    }
}
