using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Reads quantities like KubernetesClient does, but reports a malformed value as a <see cref="JsonException"/> so the
/// serializer attaches the field path (KubernetesClient's converter lets a bare FormatException escape).
/// </summary>
internal sealed class QuantityJsonConverter : JsonConverter<ResourceQuantity>
{
    public override ResourceQuantity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                text = reader.GetString()!;
                break;
            case JsonTokenType.Number:
                text = reader.TryGetInt64(out var whole)
                    ? whole.ToString(CultureInfo.InvariantCulture)
                    : reader.GetDouble().ToString("R", CultureInfo.InvariantCulture);
                break;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"a quantity must be a string or a number, not {Describe(reader.TokenType)}");
        }

        try
        {
            return new ResourceQuantity(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new JsonException($"'{text}' is not a valid quantity (examples: 100m, 2, 512Mi, 1Gi)", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
