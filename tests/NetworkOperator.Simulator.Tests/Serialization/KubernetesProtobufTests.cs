using Google.Protobuf;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization.Protobuf;

namespace NetworkOperator.Simulator.Tests.Serialization;

/// <summary>The protobuf body decoder's edges; kubectl itself exercises the happy paths in KubectlProtobufTests.</summary>
public sealed class KubernetesProtobufTests
{
    [Fact]
    public void Decodes_an_envelope_into_json_with_maps_times_and_omitted_zero_fields()
    {
        var meta = Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.LengthDelimited);
            m.WriteString("settings");
            m.WriteTag(2, WireFormat.WireType.LengthDelimited);
            m.WriteString(""); // generateName: zero, omitted
            m.WriteTag(7, WireFormat.WireType.Varint);
            m.WriteInt64(0); // generation: zero, omitted
            m.WriteTag(8, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(ByteString.Empty); // creationTimestamp unset
            m.WriteTag(11, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(Message(e =>
            {
                e.WriteTag(1, WireFormat.WireType.LengthDelimited);
                e.WriteString("app");
                e.WriteTag(2, WireFormat.WireType.LengthDelimited);
                e.WriteString("demo");
            }));
        });
        var configMap = Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(meta);
            m.WriteTag(3, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(Message(e =>
            {
                e.WriteTag(1, WireFormat.WireType.LengthDelimited);
                e.WriteString("blob");
                e.WriteTag(2, WireFormat.WireType.LengthDelimited);
                e.WriteBytes(ByteString.CopyFrom(1, 2, 3));
            }));
            m.WriteTag(4, WireFormat.WireType.Varint);
            m.WriteBool(false); // immutable is a pointer: false is kept
        });

        var json = KubernetesProtobuf.Decode(Envelope("v1", "ConfigMap", configMap));

        Assert.Equal("""{"metadata":{"name":"settings","labels":{"app":"demo"}},"binaryData":{"blob":"AQID"},"immutable":false,"apiVersion":"v1","kind":"ConfigMap"}""",
            json.ToJsonString());
    }

    [Fact]
    public void Refuses_kinds_it_has_no_schema_for_with_415()
    {
        var error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(Envelope("mellanox.com/v1alpha1", "NicClusterPolicy", ByteString.Empty)));
        Assert.Equal(415, error.Code);
        Assert.Contains("NicClusterPolicy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skips_field_numbers_kubernetes_1_32_does_not_know_and_refuses_malformed_bodies_with_400()
    {
        // A 1.32 server's generated decoders skip fields of later versions; the rest of the object is kept.
        var unknown = Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(Message(meta =>
            {
                meta.WriteTag(1, WireFormat.WireType.LengthDelimited);
                meta.WriteString("named");
            }));
            m.WriteTag(99, WireFormat.WireType.Varint);
            m.WriteInt32(1);
        });
        Assert.Equal("""{"metadata":{"name":"named"},"apiVersion":"v1","kind":"ConfigMap"}""",
            KubernetesProtobuf.Decode(Envelope("v1", "ConfigMap", unknown)).ToJsonString());

        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode("{}"u8)).Code);
        var truncated = Envelope("v1", "ConfigMap", configMapWithName: true);
        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(truncated.AsSpan(0, truncated.Length - 3))).Code);
    }

    [Fact]
    public void Embedded_structs_decode_into_their_parent_as_go_json_writes_them()
    {
        // Volume{name: "data", VolumeSource{emptyDir: {medium: "Memory"}}}: JSON has emptyDir beside name.
        var volume = Message(v =>
        {
            v.WriteTag(1, WireFormat.WireType.LengthDelimited);
            v.WriteString("data");
            v.WriteTag(2, WireFormat.WireType.LengthDelimited);
            v.WriteBytes(Message(source =>
            {
                source.WriteTag(2, WireFormat.WireType.LengthDelimited);
                source.WriteBytes(Message(emptyDir =>
                {
                    emptyDir.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    emptyDir.WriteString("Memory");
                }));
            }));
        });
        var pod = Message(p =>
        {
            p.WriteTag(2, WireFormat.WireType.LengthDelimited);
            p.WriteBytes(Message(spec =>
            {
                spec.WriteTag(1, WireFormat.WireType.LengthDelimited);
                spec.WriteBytes(volume);
            }));
        });

        var json = KubernetesProtobuf.Decode(Envelope("v1", "Pod", pod));

        Assert.Equal("""{"volumes":[{"name":"data","emptyDir":{"medium":"Memory"}}]}""", json["spec"]!.ToJsonString());
    }

    [Fact]
    public void Every_message_the_schema_references_is_in_the_schema()
    {
        var scalars = new HashSet<string> { "string", "bytes", "bool", "int32", "int64", "uint32", "uint64", "double", "float", "fixed32", "fixed64" };
        var special = new HashSet<string>
        {
            "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime", "k8s.io.apimachinery.pkg.apis.meta.v1.Duration",
            "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1", "k8s.io.apimachinery.pkg.api.resource.Quantity",
            "k8s.io.apimachinery.pkg.util.intstr.IntOrString", "k8s.io.apimachinery.pkg.runtime.RawExtension",
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON",
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
        };
        var names = ProtobufSchema.MessageNames.ToHashSet();
        Assert.Contains("k8s.io.api.policy.v1.Eviction", names);
        foreach (var name in names)
        {
            foreach (var field in ProtobufSchema.Find(name)!.Values)
            {
                foreach (var type in new[] { field.Type, field.MapValueType }.OfType<string>())
                {
                    Assert.True(scalars.Contains(type) || special.Contains(type) || names.Contains(type), $"{name}.{field.Name} refers to missing {type}");
                }
            }
        }
    }

    private static byte[] Envelope(string apiVersion, string kind, bool configMapWithName) =>
        Envelope(apiVersion, kind, Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(Message(meta =>
            {
                meta.WriteTag(1, WireFormat.WireType.LengthDelimited);
                meta.WriteString(configMapWithName ? "named" : "");
            }));
        }));

    private static byte[] Envelope(string apiVersion, string kind, ByteString raw)
    {
        var unknown = Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(Message(t =>
            {
                t.WriteTag(1, WireFormat.WireType.LengthDelimited);
                t.WriteString(apiVersion);
                t.WriteTag(2, WireFormat.WireType.LengthDelimited);
                t.WriteString(kind);
            }));
            m.WriteTag(2, WireFormat.WireType.LengthDelimited);
            m.WriteBytes(raw);
            m.WriteTag(3, WireFormat.WireType.LengthDelimited);
            m.WriteString("");
            m.WriteTag(4, WireFormat.WireType.LengthDelimited);
            m.WriteString("");
        });
        return [0x6b, 0x38, 0x73, 0x00, .. unknown.ToByteArray()];
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return ByteString.CopyFrom(buffer.ToArray());
    }
}
