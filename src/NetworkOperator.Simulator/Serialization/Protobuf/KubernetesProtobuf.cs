using System.Text;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>
/// Decodes <c>application/vnd.kubernetes.protobuf</c> request bodies: the 4-byte magic <c>k8s\0</c> followed by a
/// runtime.Unknown envelope (typeMeta, raw message bytes, contentEncoding, contentType). Kinds without a message table
/// (custom resources always, and built-in kinds no client here sends as protobuf) get a 415 like custom resources on
/// the real server, naming the media types that are accepted.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ProtoWireReader.Malformed("the body does not start with the Kubernetes protobuf prefix");
        }

        var reader = new ProtoWireReader(body[Magic.Length..]);
        string apiVersion = string.Empty, kind = string.Empty, contentEncoding = string.Empty;
        ReadOnlySpan<byte> raw = default;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            switch (number, wireType)
            {
                case (1, ProtoWireReader.LengthDelimited):
                    (apiVersion, kind) = ReadTypeMeta(reader.ReadLengthDelimited());
                    break;
                case (2, ProtoWireReader.LengthDelimited):
                    raw = reader.ReadLengthDelimited();
                    break;
                case (3, ProtoWireReader.LengthDelimited):
                    contentEncoding = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (contentEncoding.Length > 0)
        {
            throw ProtoWireReader.Malformed($"unsupported content encoding {contentEncoding}");
        }

        if (kind.Length == 0)
        {
            throw ApiErrors.BadRequest("Object 'Kind' is missing in the protobuf body");
        }

        var message = KubernetesProtoTypes.Find(apiVersion, kind) ?? throw new ApiException(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml " +
            $"(protobuf is not supported for {kind} {apiVersion} by this server)");
        var result = ProtoDecoder.Decode(raw, message);
        var decoded = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            decoded[key] = value;
        }

        return decoded;
    }

    private static (string ApiVersion, string Kind) ReadTypeMeta(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoWireReader(data);
        string apiVersion = string.Empty, kind = string.Empty;
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            switch (number, wireType)
            {
                case (1, ProtoWireReader.LengthDelimited):
                    apiVersion = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                case (2, ProtoWireReader.LengthDelimited):
                    kind = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (apiVersion, kind);
    }
}
