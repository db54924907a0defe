using System.Text.Json;
using NetworkOperator.Api;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// An object the server returned in a list or watch that does not fit its model (a value out of range for the field's
/// type, a string where a number belongs). It is skipped and reported instead of failing the whole list, so one bad
/// object never stops a kind.
/// </summary>
/// <param name="Kind">The kind listed or watched.</param>
/// <param name="Namespace">The object's namespace, when the raw object has one.</param>
/// <param name="Name">The object's name, when the raw object has one.</param>
/// <param name="Uid">The object's uid, so an Event can point at it.</param>
/// <param name="ResourceVersion">The version that could not be decoded.</param>
/// <param name="Field">The field path that could not be decoded, e.g. <c>spec.mtu</c>.</param>
/// <param name="Problem">Why, in one line.</param>
public sealed record InvalidObject(ResourceKind Kind, string? Namespace, string? Name, string? Uid, string? ResourceVersion,
    string Field, string Problem)
{
    /// <summary>One line naming the object, the field and the problem.</summary>
    public string Message => $"{Kind.Kind} {(string.IsNullOrEmpty(Namespace) ? string.Empty : Namespace + "/")}{Name} cannot be read: "
        + $"{Field}: {Problem}; the object is skipped until it is fixed";

    /// <summary>Describes why <paramref name="raw"/> failed to decode into the kind's model.</summary>
    public static InvalidObject From(ResourceKind kind, JsonElement raw, Exception error)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(error);
        string? Meta(string key) =>
            raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        var field = error is JsonException { Path: { Length: > 0 } path } ? FieldPath(path) : "(object)";
        return new InvalidObject(kind, Meta("namespace"), Meta("name"), Meta("uid"), Meta("resourceVersion"), field, Explain(error));
    }

    // System.Text.Json paths look like "$.spec.mtu" or "$['odd.key']"; Kubernetes field paths drop the root.
    private static string FieldPath(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
        : path == "$" ? "(object)"
        : path.TrimStart('$');

    private static string Explain(Exception error)
    {
        var message = error.InnerException is { } inner && error is JsonException && inner is not JsonException ? inner.Message : error.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var line = (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return line.Length > 300 ? line[..300] : line;
    }
}
