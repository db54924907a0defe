using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Errors;

/// <summary>One field problem inside a 422 Invalid answer, as the real server lists them in details.causes.</summary>
public sealed record StatusCause(string Reason, string Message, string Field);

/// <summary>
/// A failure that becomes a Kubernetes Status object on the wire. Every client mistake is thrown as one of these,
/// so the HTTP layer never turns a bad request into a 500.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, string? name = null, string? group = null,
        string? kind = null, IReadOnlyList<StatusCause>? causes = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Group = group;
        Kind = kind;
        Causes = causes ?? [];
        RetryAfterSeconds = retryAfterSeconds;
    }

    public ApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
        Causes = [];
    }

    public int Code { get; }

    public string Reason { get; }

    public string? Name { get; }

    public string? Group { get; }

    public string? Kind { get; }

    public IReadOnlyList<StatusCause> Causes { get; }

    public int? RetryAfterSeconds { get; }

    /// <summary>
    /// Answered as Go's http.NotFound (text/plain "404 page not found"), not as a Status: what the end of the real
    /// server's handler chain writes for paths no API group claims.
    /// </summary>
    public bool PlainText { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0)
        {
            status["reason"] = Reason;
        }

        // Go leaves empty strings out of StatusDetails (omitempty): a core resource's group, a request's empty name.
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(Name))
        {
            details["name"] = Name;
        }

        if (!string.IsNullOrEmpty(Group))
        {
            details["group"] = Group;
        }

        if (!string.IsNullOrEmpty(Kind))
        {
            details["kind"] = Kind;
        }

        if (Causes.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var cause in Causes)
            {
                causes.Add(new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message, ["field"] = cause.Field });
            }

            details["causes"] = causes;
        }

        if (RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }

        status["details"] = details;
        status["code"] = Code;
        return status;
    }
}
