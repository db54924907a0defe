namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>The field table of one Kubernetes protobuf message (field numbers from the published generated.proto files).</summary>
internal sealed class ProtoMessage
{
    private readonly Dictionary<int, ProtoField> _fields = [];

    public ProtoMessage(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public ProtoMessage Add(int number, ProtoField field)
    {
        _fields.Add(number, field);
        return this;
    }

    public ProtoField? Field(int number) => _fields.GetValueOrDefault(number);
}
