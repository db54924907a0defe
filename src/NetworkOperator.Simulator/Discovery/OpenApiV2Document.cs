using System.Text.Json.Nodes;
using Google.Protobuf;

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
    public static byte[] Protobuf { get; } = Encode();

    public static bool WantsProtobuf(string? accept) =>
        accept?.Contains("application/com.github.proto-openapi.spec.v2", StringComparison.Ordinal) == true;

    private static byte[] Encode()
    {
        var info = new MemoryStream();
        using (var output = new CodedOutputStream(info, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString("Kubernetes");
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(VersionInfo.GitVersion);
        }

        var document = new MemoryStream();
        using (var output = new CodedOutputStream(document, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString("2.0");
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(info.ToArray()));
        }

        return document.ToArray();
    }
}
