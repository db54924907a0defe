using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Errors;

/// <summary>The error answers of the real API server, with its wording, so kubectl prints what users know.</summary>
public static class ApiErrors
{
    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", name, type.Group, type.Plural);

    public static ApiException NamespaceNotFound(string name) =>
        new(404, "NotFound", $"namespaces \"{name}\" not found", name, "", "namespaces");

    public static ApiException UnknownResource() =>
        new(404, "NotFound", "the server could not find the requested resource");

    /// <summary>
    /// A resource path that no built-in group serves: custom resource groups, groups nobody serves, a CRD's unserved
    /// version or wrong scope. The real server passes these down to its last handler, which writes Go's plain 404; only
    /// the built-in groups' go-restful routes answer a Status (<see cref="UnknownResource"/>).
    /// </summary>
    public static ApiException PageNotFound() => new(404, "NotFound", "404 page not found") { PlainText = true };

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", name, type.Group, type.Plural);

    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": the object has been modified; " +
            "please apply your changes to the latest version and try again", name, type.Group, type.Plural);

    public static ApiException ConflictWithMessage(ResourceType type, string name, string message) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {message}",
            name, type.Group, type.Plural);

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException RequestEntityTooLarge(long limit) =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");

    /// <summary>What the real server answers when etcd refuses an object over its request size limit.</summary>
    public static ApiException StorageRequestTooLarge() => new(500, "", "etcdserver: request is too large");

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException MethodNotSupported(ResourceType type, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{type.QualifiedResource}\"", null, type.Group, type.Plural);

    /// <summary>A create/update/delete body in a format the server does not read (the patch list is <see cref="UnsupportedMediaType"/>).</summary>
    public static ApiException UnsupportedBodyMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: " +
            $"application/json, application/yaml, application/vnd.kubernetes.protobuf (got {contentType})");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: " +
            $"application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, " +
            $"application/strategic-merge-patch+json (got {contentType})");

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<StatusCause> causes)
    {
        // As the real server's aggregate error: identical messages are printed once.
        var parts = causes.Select(c => string.IsNullOrEmpty(c.Field) ? c.Message : $"{c.Field}: {c.Message}").Distinct().ToList();
        var joined = parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        var qualifiedKind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", name, type.Group, type.Kind, causes);
    }

    /// <summary>
    /// A 422 about the request rather than an object (its options, or a patch that does not decode): the real server
    /// names a kind such as CreateOptions.meta.k8s.io, or no kind at all, and an empty object name.
    /// </summary>
    public static ApiException InvalidRequest(string? group, string? kind, IReadOnlyList<StatusCause> causes)
    {
        var parts = causes.Select(c => $"{c.Field}: {c.Message}").Distinct().ToList();
        var joined = parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        var qualifiedKind = string.IsNullOrEmpty(group) ? kind ?? "" : $"{kind}.{group}";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"\" is invalid: {joined}", null, group, kind, causes);
    }

    public static ApiException Invalid(ResourceType type, string name, string field, string reason, string message) =>
        Invalid(type, name, [new StatusCause(reason, message, field)]);

    public static ApiException Forbidden(ResourceType type, string name, string message) =>
        new(403, "Forbidden", $"{type.QualifiedResource} \"{name}\" is forbidden: {message}", name, type.Group, type.Plural);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException TooManyRequests(string message, int retryAfterSeconds = 1) =>
        new(429, "TooManyRequests", message, retryAfterSeconds: retryAfterSeconds);

    public static ApiException Internal(string message) => new(500, "InternalError", message);
}
