using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>
/// Reads the protobuf wire format (varints, fixed 32/64-bit values, length-delimited fields). Malformed input is the
/// API server's 400, never an exception of another kind.
/// </summary>
internal ref struct ProtoWireReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoWireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position >= _data.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = (int)(tag >> 3);
        if (field <= 0)
        {
            throw Malformed("field number 0");
        }

        return (field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Malformed("truncated varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw Malformed("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Malformed("length beyond the end of the message");
        }

        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>Skips a field this decoder does not know, as generated Go code does.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                throw Malformed($"unsupported wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (_data.Length - _position < count)
        {
            throw Malformed("truncated fixed-size field");
        }

        _position += count;
    }

    public static ApiException Malformed(string detail) =>
        ApiErrors.BadRequest($"the body of the request could not be decoded as protobuf: {detail}");
}
