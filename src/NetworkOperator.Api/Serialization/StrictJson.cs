using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Parses JSON that users write inside string fields (CNI <c>ipam</c> and <c>metaPlugins</c>, device-plugin
/// configs) strictly: no comments, no trailing commas, no duplicate keys. System.Text.Json's default accepts duplicate
/// keys in a document and then throws <see cref="ArgumentException"/> when a <see cref="JsonObject"/> is read; here a
/// duplicate is a <see cref="JsonException"/> naming the key, like every other syntax error.
/// </summary>
public static class StrictJson
{
    /// <summary>Deeper than any CNI or device-plugin configuration; bounds hostile input.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
    };

    /// <exception cref="JsonException">The text is not strict JSON; the message names the problem and its position.</exception>
    public static JsonNode? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (ArgumentException ex)
        {
            // Belt and braces: should a duplicate slip through the document parse, report it as bad JSON, not a crash.
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <summary>The same checks as <see cref="Parse"/>, as a <see cref="JsonDocument"/> the caller disposes.</summary>
    /// <exception cref="JsonException">The text is not strict JSON.</exception>
    public static JsonDocument ParseDocument(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return JsonDocument.Parse(text, DocumentOptions);
    }

    /// <summary>A <see cref="JsonException"/> message without System.Text.Json's trailing path/line noise.</summary>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        foreach (var noise in new[] { " Path: ", " LineNumber: ", " Change the reader options" })
        {
            var cut = message.IndexOf(noise, StringComparison.Ordinal);
            message = cut >= 0 ? message[..cut] : message;
        }

        message = message.TrimEnd('.', ' ');
        if (exception.LineNumber is { } line && exception.BytePositionInLine is { } position)
        {
            message += $" (line {line + 1}, position {position + 1})";
        }

        return message;
    }
}
