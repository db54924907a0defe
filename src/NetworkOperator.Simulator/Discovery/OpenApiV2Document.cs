using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Discovery;

/// <summary>
/// <c>/openapi/v2</c> without definitions. kubectl reads it for one thing the v3 documents do not cover: client-side
/// validation of a <c>kind: List</c> file (what <c>kubectl get -o yaml</c> writes), which its field-validation check
/// never hands to the server. Without the document that apply fails ("the server could not find the requested
/// resource"); with an empty one kubectl finds no schema for the items, skips its own check, and sends each item with
/// <c>fieldValidation=Strict</c> as usual, so the server still validates them. kubectl asks for protobuf (the gnostic
/// <c>openapi_v2.Document</c> message); other clients get JSON.
/// </summary>
internal static class OpenApiV2Document
{
    public const string Path = "/openapi/v2";

    /// <summary>What the real server answers with: clients ask for <c>...v2@v1.0+protobuf</c>, but '@' is not valid in a
    /// media type, so Go's mime parser (and with it kubectl) refuses that spelling in a Content-Type.</summary>
    public const string ProtobufMediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public static string Json { get; } = new JsonObject
    {
        ["swagger"] = "2.0",
        ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
        ["paths"] = new JsonObject(),
        ["definitions"] = new JsonObject(),
    }.ToJsonString();

    /// <summary><c>Document{swagger = "2.0" (field 1), info = Info{title (1), version (2)} (field 2)}</c> in protobuf wire format.</summary>
    public static byte[] Protobuf { get; } = Message(
        StringField(1, "2.0"),
        MessageField(2, Message(StringField(1, "Kubernetes"), StringField(2, VersionInfo.GitVersion))));

    public static bool WantsProtobuf(string? accept) =>
        accept?.Contains("application/com.github.proto-openapi.spec.v2", StringComparison.Ordinal) == true;

    private static byte[] StringField(int number, string value) => MessageField(number, Encoding.UTF8.GetBytes(value));

    // Wire type 2 (length-delimited): key, varint length, bytes.
    private static byte[] MessageField(int number, byte[] payload)
    {
        var bytes = new List<byte>(payload.Length + 6);
        WriteVarint(bytes, ((uint)number << 3) | 2);
        WriteVarint(bytes, (uint)payload.Length);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static void WriteVarint(List<byte> bytes, uint value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
