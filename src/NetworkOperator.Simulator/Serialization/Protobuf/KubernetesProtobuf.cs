using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>
/// Decodes <c>application/vnd.kubernetes.protobuf</c> request bodies into the JSON the rest of the server works on.
/// kubectl's typed commands (create namespace/configmap/secret/deployment/role..., drain's evictions) send built-in
/// kinds this way and, unlike with CBOR, never fall back to JSON, so a server without it breaks them. The body is the
/// "k8s\0" magic followed by a runtime.Unknown envelope whose typeMeta names the kind and whose raw bytes hold the
/// object's message. Fields are mapped by the schema table of Kubernetes 1.32; one the table does not know (a field of
/// a later version) is skipped, as the generated Go decoders of a 1.32 server skip it.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw ApiErrors.BadRequest("protobuf body does not start with the Kubernetes envelope prefix \"k8s\\x00\"");
        }

        try
        {
            var (apiVersion, kind, raw) = ReadEnvelope(new CodedInputStream(body[Magic.Length..].ToArray()));
            var message = MessageFor(apiVersion, kind);
            var obj = ReadMessage(new CodedInputStream(raw), message);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return obj;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiErrors.BadRequest("malformed protobuf body: " + e.Message);
        }
    }

    /// <summary>The protobuf message of a kind: core kinds live in k8s.io.api.core.v1, others under their group's first label.</summary>
    private static string MessageFor(string apiVersion, string kind)
    {
        if (kind == "DeleteOptions")
        {
            return "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions";
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "core" : apiVersion[..slash].Split('.')[0];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var message = $"k8s.io.api.{group}.{version}.{kind}";
        return ProtobufSchema.Find(message) is not null
            ? message
            : throw new ApiException(415, "UnsupportedMediaType",
                $"the simulated API server decodes protobuf only for built-in kinds it knows; {apiVersion} {kind} is not one of them (send application/json)");
    }

    private static (string ApiVersion, string Kind, byte[] Raw) ReadEnvelope(CodedInputStream input)
    {
        string apiVersion = "", kind = "", encoding = "";
        var raw = Array.Empty<byte>();
        ForEachField(input, (number, field) =>
        {
            switch (number)
            {
                case 1:
                    ForEachField(new CodedInputStream(field.ReadBytes().ToByteArray()), (inner, typeMeta) =>
                    {
                        switch (inner)
                        {
                            case 1:
                                apiVersion = typeMeta.ReadString();
                                return true;
                            case 2:
                                kind = typeMeta.ReadString();
                                return true;
                            default:
                                return false;
                        }
                    });
                    return true;
                case 2:
                    raw = field.ReadBytes().ToByteArray();
                    return true;
                case 3:
                    encoding = field.ReadString();
                    return true;
                default:
                    return false;
            }
        });

        if (encoding.Length > 0)
        {
            throw new ApiException(415, "UnsupportedMediaType", $"protobuf content encoding {encoding} is not supported");
        }

        if (kind.Length == 0 || apiVersion.Length == 0)
        {
            throw ApiErrors.BadRequest("protobuf body has no apiVersion/kind in its envelope");
        }

        return (apiVersion, kind, raw);
    }

    /// <summary>Calls <paramref name="read"/> for each field; a field it does not consume (returns false) is skipped.</summary>
    private static void ForEachField(CodedInputStream input, Func<int, CodedInputStream, bool> read)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(WireFormat.GetTagFieldNumber(tag), input))
            {
                input.SkipLastField();
            }
        }
    }

    private static JsonObject ReadMessage(CodedInputStream input, string message)
    {
        var fields = ProtobufSchema.Find(message) ?? throw new InvalidOperationException($"protobuf message {message} is missing from the schema table");
        var obj = new JsonObject();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!fields.TryGetValue(number, out var field))
            {
                input.SkipLastField();
                continue;
            }

            switch (field.Label)
            {
                case ProtobufLabel.Optional when field.Inline:
                    // Go's JSON writes an embedded struct's fields into its parent (a Volume's source, a Probe's handler).
                    if (ReadValue(input, field.Type) is JsonObject embedded)
                    {
                        foreach (var (name, inner) in embedded.ToList())
                        {
                            embedded.Remove(name);
                            obj[name] = inner;
                        }
                    }

                    break;
                case ProtobufLabel.Map:
                    var entry = new CodedInputStream(input.ReadBytes().ToByteArray());
                    var (key, value) = ReadMapEntry(entry, field);
                    if (obj[field.Name] is not JsonObject map)
                    {
                        map = [];
                        obj[field.Name] = map;
                    }

                    map[key] = value;
                    break;
                case ProtobufLabel.Repeated:
                    if (obj[field.Name] is not JsonArray list)
                    {
                        list = [];
                        obj[field.Name] = list;
                    }

                    if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited && IsPackable(field.Type))
                    {
                        var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                        while (!packed.IsAtEnd)
                        {
                            list.Add(ReadValue(packed, field.Type));
                        }
                    }
                    else
                    {
                        list.Add(ReadValue(input, field.Type));
                    }

                    break;
                default:
                    var single = ReadValue(input, field.Type);
                    if (single is null || (field.OmitZero && IsZero(single)))
                    {
                        obj.Remove(field.Name);
                    }
                    else
                    {
                        obj[field.Name] = single;
                    }

                    break;
            }
        }

        return obj;
    }

    private static (string Key, JsonNode? Value) ReadMapEntry(CodedInputStream entry, ProtobufField field)
    {
        var key = "";
        JsonNode? value = field.MapValueType == "string" ? "" : null;
        ForEachField(entry, (number, input) =>
        {
            switch (number)
            {
                case 1:
                    key = input.ReadString();
                    return true;
                case 2:
                    value = ReadValue(input, field.MapValueType!);
                    return true;
                default:
                    return false;
            }
        });

        // A bytes value that was empty is written as no field at all; JSON has it as "".
        return (key, value ?? (field.MapValueType == "bytes" ? "" : new JsonObject()));
    }

    private static bool IsZero(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().Length == 0,
        JsonValueKind.False => true,
        JsonValueKind.Number => value.ToJsonString() == "0",
        _ => false,
    };

    private static bool IsPackable(string type) => type is "int32" or "int64" or "uint32" or "uint64" or "bool" or "double" or "float" or "fixed32" or "fixed64";

    private static JsonNode? ReadValue(CodedInputStream input, string type) => type switch
    {
        "string" => input.ReadString(),
        "bytes" => Convert.ToBase64String(input.ReadBytes().Span),
        "bool" => input.ReadBool(),
        "int32" => input.ReadInt32(),
        "int64" => input.ReadInt64(),
        "uint32" => input.ReadUInt32(),
        "uint64" => input.ReadUInt64(),
        "double" => input.ReadDouble(),
        "float" => input.ReadFloat(),
        "fixed32" => input.ReadFixed32(),
        "fixed64" => input.ReadFixed64(),
        _ => ReadSpecialOrMessage(new CodedInputStream(input.ReadBytes().ToByteArray()), type),
    };

    // The apimachinery types whose JSON form is a scalar, not their message's fields.
    private static JsonNode? ReadSpecialOrMessage(CodedInputStream input, string type) => type switch
    {
        "k8s.io.apimachinery.pkg.apis.meta.v1.Time" => ReadTime(input, micro: false),
        "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" => ReadTime(input, micro: true),
        "k8s.io.apimachinery.pkg.api.resource.Quantity" => ReadSingleString(input),
        "k8s.io.apimachinery.pkg.util.intstr.IntOrString" => ReadIntOrString(input),
        "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1" or "k8s.io.apimachinery.pkg.runtime.RawExtension" => ReadRawJson(input),
        _ => ReadMessage(input, type),
    };

    private static JsonNode? ReadTime(CodedInputStream input, bool micro)
    {
        long seconds = 0;
        var nanos = 0;
        var any = false;
        ForEachField(input, (number, field) =>
        {
            any = true;
            switch (number)
            {
                case 1:
                    seconds = field.ReadInt64();
                    return true;
                case 2:
                    nanos = field.ReadInt32();
                    return true;
                default:
                    return false;
            }
        });

        // An unset time is written as an empty message; Go's JSON has no field for it.
        if (!any)
        {
            return null;
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return micro
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonNode? ReadSingleString(CodedInputStream input)
    {
        string? value = null;
        ForEachField(input, (number, field) => number == 1 && (value = field.ReadString()) is not null);
        return value;
    }

    private static JsonNode? ReadIntOrString(CodedInputStream input)
    {
        long kind = 0;
        var intValue = 0;
        var stringValue = "";
        ForEachField(input, (number, field) =>
        {
            switch (number)
            {
                case 1:
                    kind = field.ReadInt64();
                    return true;
                case 2:
                    intValue = field.ReadInt32();
                    return true;
                case 3:
                    stringValue = field.ReadString();
                    return true;
                default:
                    return false;
            }
        });
        return kind == 1 ? stringValue : intValue;
    }

    private static JsonNode? ReadRawJson(CodedInputStream input)
    {
        ByteString? bytes = null;
        ForEachField(input, (number, field) => number == 1 && (bytes = field.ReadBytes()) is not null);
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes.Span);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest("embedded raw object in protobuf body is not JSON: " + e.Message);
        }
    }
}
