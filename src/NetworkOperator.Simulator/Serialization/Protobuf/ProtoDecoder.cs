using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>Decodes one protobuf message into the JSON object Go's encoding/json would print for the same Go value.</summary>
internal static class ProtoDecoder
{
    public static JsonObject Decode(ReadOnlySpan<byte> data, ProtoMessage message)
    {
        var result = new JsonObject();
        var reader = new ProtoWireReader(data);
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            if (message.Field(number) is not { } field)
            {
                reader.Skip(wireType);
                continue;
            }

            if (field.MapValue is { } valueKind)
            {
                RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                var (key, value) = DecodeMapEntry(reader.ReadLengthDelimited(), valueKind, message, field);
                var map = result[field.JsonName] as JsonObject ?? (JsonObject)(result[field.JsonName] = new JsonObject());
                map[key] = value;
                continue;
            }

            var decoded = DecodeValue(ref reader, wireType, field.Kind, field.Message, message, field);
            if (field.Repeated)
            {
                var list = result[field.JsonName] as JsonArray ?? (JsonArray)(result[field.JsonName] = new JsonArray());
                list.Add(decoded);
            }
            else if (field.Pointer || !IsZero(decoded))
            {
                result[field.JsonName] = decoded;
            }
            else
            {
                // A later zero value replaces an earlier one in protobuf; omitempty then drops the field.
                result.Remove(field.JsonName);
            }
        }

        return result;
    }

    private static (string Key, JsonNode? Value) DecodeMapEntry(ReadOnlySpan<byte> entry, ProtoFieldKind valueKind, ProtoMessage message, ProtoField field)
    {
        var reader = new ProtoWireReader(entry);
        var key = string.Empty;
        JsonNode? value = Zero(valueKind);
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            switch (number)
            {
                case 1:
                    RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                    key = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                case 2:
                    value = DecodeValue(ref reader, wireType, valueKind, null, message, field);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (key, value);
    }

    private static JsonNode? DecodeValue(ref ProtoWireReader reader, int wireType, ProtoFieldKind kind, ProtoMessage? nested, ProtoMessage message, ProtoField field)
    {
        switch (kind)
        {
            case ProtoFieldKind.String:
                RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                return JsonValue.Create(Encoding.UTF8.GetString(reader.ReadLengthDelimited()));
            case ProtoFieldKind.Bytes:
                RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                return JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited()));
            case ProtoFieldKind.Int64:
                RequireWireType(ProtoWireReader.Varint, wireType, message, field);
                return JsonValue.Create((long)reader.ReadVarint());
            case ProtoFieldKind.Int32:
                RequireWireType(ProtoWireReader.Varint, wireType, message, field);
                return JsonValue.Create((int)reader.ReadVarint());
            case ProtoFieldKind.Bool:
                RequireWireType(ProtoWireReader.Varint, wireType, message, field);
                return JsonValue.Create(reader.ReadVarint() != 0);
            case ProtoFieldKind.Time:
                RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                return DecodeTime(reader.ReadLengthDelimited());
            case ProtoFieldKind.RawJson:
                RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                return DecodeRawJson(reader.ReadLengthDelimited(), message, field);
            case ProtoFieldKind.Message:
                RequireWireType(ProtoWireReader.LengthDelimited, wireType, message, field);
                return Decode(reader.ReadLengthDelimited(), nested!);
            default:
                throw new InvalidOperationException($"unhandled protobuf field kind {kind}");
        }
    }

    // metav1.Time marshals seconds and nanos; its JSON form is RFC 3339 in seconds, and the zero time is null.
    private static JsonValue? DecodeTime(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        long seconds = 0;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            if (number == 1 && wireType == ProtoWireReader.Varint)
            {
                seconds = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        // Go's zero time.Time is year 1, which is -62135596800 Unix seconds; both that and an empty message mean unset.
        if (seconds is 0 or -62135596800)
        {
            return null;
        }

        return JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    // FieldsV1 and RawExtension wrap raw JSON bytes in field 1.
    private static JsonNode? DecodeRawJson(ReadOnlySpan<byte> data, ProtoMessage message, ProtoField field)
    {
        var reader = new ProtoWireReader(data);
        JsonNode? value = null;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            if (number == 1 && wireType == ProtoWireReader.LengthDelimited)
            {
                var raw = reader.ReadLengthDelimited();
                try
                {
                    value = raw.IsEmpty ? null : JsonNode.Parse(raw);
                }
                catch (System.Text.Json.JsonException ex)
                {
                    throw ProtoWireReader.Malformed($"{message.Name}.{field.JsonName} holds invalid JSON: {ex.Message}");
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return value;
    }

    private static void RequireWireType(int expected, int actual, ProtoMessage message, ProtoField field)
    {
        if (expected != actual)
        {
            throw ProtoWireReader.Malformed($"{message.Name}.{field.JsonName} has wire type {actual}, expected {expected}");
        }
    }

    private static JsonValue? Zero(ProtoFieldKind kind) => kind switch
    {
        ProtoFieldKind.String or ProtoFieldKind.Bytes => JsonValue.Create(string.Empty),
        ProtoFieldKind.Int64 or ProtoFieldKind.Int32 => JsonValue.Create(0),
        ProtoFieldKind.Bool => JsonValue.Create(false),
        _ => null,
    };

    private static bool IsZero(JsonNode? node) => node switch
    {
        null => true,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<int>(out var i) => i == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonObject o => o.Count == 0,
        _ => false,
    };
}
