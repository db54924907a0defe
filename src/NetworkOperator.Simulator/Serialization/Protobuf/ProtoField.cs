namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>How one protobuf field of a Kubernetes message maps to its JSON field.</summary>
internal enum ProtoFieldKind
{
    String,
    /// <summary>bytes, written to JSON as base64 like Go's []byte.</summary>
    Bytes,
    Int64,
    Int32,
    Bool,
    /// <summary>metav1.Time: seconds + nanos, written as RFC 3339 seconds.</summary>
    Time,
    /// <summary>Raw JSON bytes (FieldsV1, RawExtension).</summary>
    RawJson,
    Message,
}

/// <summary>
/// One field of a message descriptor. <paramref name="Pointer"/> fields (Go pointers, proto2 optional) keep zero values
/// that were sent; other fields are omitted from the JSON when zero, matching Go's <c>omitempty</c>.
/// </summary>
internal sealed record ProtoField(
    string JsonName,
    ProtoFieldKind Kind,
    bool Repeated = false,
    bool Pointer = false,
    ProtoMessage? Message = null,
    ProtoFieldKind? MapValue = null);
