using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Serialization.Protobuf;
using YamlDotNet.Core;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>Decodes request bodies (JSON, YAML for yaml content types, Kubernetes protobuf for built-in kinds) into JSON trees; anything malformed is a 400.</summary>
internal static class BodyReader
{
    /// <summary>The real server's limit on request bodies (3 MiB); a larger body is a 413 and is not read to its end.</summary>
    public const int MaxRequestBodyBytes = 3 * 1024 * 1024;

    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBodyBytes)
        {
            throw ApiErrors.RequestEntityTooLarge(MaxRequestBodyBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBodyBytes)
            {
                throw ApiErrors.RequestEntityTooLarge(MaxRequestBodyBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        var mediaType = MediaType(request.ContentType);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (mediaType == KubernetesProtobuf.MediaType)
        {
            return KubernetesProtobuf.Decode(bytes.Span);
        }

        if (mediaType.Contains("cbor", StringComparison.Ordinal))
        {
            // CBOR clients (client-go's opt-in) fall back to JSON on a 415, as they do against servers without it.
            throw ApiErrors.UnsupportedBodyMediaType(mediaType);
        }

        if (!mediaType.Contains("yaml", StringComparison.Ordinal))
        {
            return ParseJson(bytes.Span);
        }

        try
        {
            // kubectl sends apply-patch+yaml bodies as JSON, which is also YAML; JSON first is faster and exact.
            return ParseJson(bytes.Span);
        }
        catch (ApiException)
        {
            try
            {
                return YamlJson.Parse(Encoding.UTF8.GetString(bytes.Span));
            }
            catch (YamlException ex)
            {
                var line = ex.Start.Line > 0 ? $"line {ex.Start.Line}: " : "";
                throw ApiErrors.BadRequest($"error converting YAML to JSON: yaml: {line}{ex.Message}");
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
            {
                throw ApiErrors.BadRequest($"error converting YAML to JSON: {ex.Message}");
            }
        }
    }

    public static JsonObject RequireObject(JsonNode? body)
    {
        return body switch
        {
            JsonObject obj => obj,
            null => throw ApiErrors.BadRequest("the body of the request was empty"),
            _ => throw ApiErrors.BadRequest("Object 'Kind' is missing in '" + Truncate(body.ToJsonString()) + "'"),
        };
    }

    public static string MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return "";
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    private static JsonNode? ParseJson(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var node = JsonNode.Parse(bytes);
            // JsonNode.Parse loads lazily; force full materialisation so bad input fails here, not later.
            _ = node?.ToJsonString();
            return node;
        }
        catch (JsonException ex)
        {
            throw ApiErrors.BadRequest($"couldn't get version/kind; json parse error: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw ApiErrors.BadRequest($"json parse error: {ex.Message}");
        }
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "..." : text;
}
