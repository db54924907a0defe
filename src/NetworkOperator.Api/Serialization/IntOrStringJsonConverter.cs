using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Int-or-string with errors as <see cref="JsonException"/> (so they carry a path); KubernetesClient's converter throws
/// NotSupportedException for e.g. a boolean.
/// </summary>
internal sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    public override IntOrString? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => (IntOrString)reader.GetString()!,
            JsonTokenType.Number when reader.TryGetInt64(out var number) =>
                (IntOrString)number.ToString(CultureInfo.InvariantCulture),
            JsonTokenType.Null => null,
            _ => throw new JsonException(
                $"expected an integer or a string such as \"25%\", not {QuantityJsonConverter.Describe(reader.TokenType)}"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        // Same rule as KubernetesClient: digits are written as a number, anything else as a string.
        if (long.TryParse(value.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.Value);
        }
    }
}
