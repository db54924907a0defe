using System.Collections.Frozen;
using System.Globalization;

namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>How a protobuf field repeats: once, as a list, or as a map of entries.</summary>
internal enum ProtobufLabel
{
    Optional,
    Repeated,
    Map,
}

/// <summary>One field of a Kubernetes protobuf message: its number, JSON name, label and type (a scalar or a message).</summary>
/// <remarks><see cref="OmitZero"/>: Go's JSON leaves the field out when it holds its zero value (a non-pointer scalar
/// tagged omitempty), while the protobuf encoder writes it regardless. <see cref="Inline"/>: an embedded struct whose
/// fields Go's JSON writes into the parent (a Volume's VolumeSource, a Probe's ProbeHandler).</remarks>
internal sealed record ProtobufField(int Number, string Name, ProtobufLabel Label, string Type, string? MapValueType, bool OmitZero,
    bool Inline = false);

/// <summary>
/// The field tables of the Kubernetes 1.32 built-in messages, read from the embedded table that
/// <c>eng/protobuf/generate_schema.py</c> extracts from Kubernetes' generated.proto and types.go files: the protobuf
/// decoder's field numbers, and the JSON fields each built-in kind declares (<see cref="Schema.BuiltInFields"/>).
/// Loaded once, on first use.
/// </summary>
internal static class ProtobufSchema
{
    private static readonly Lazy<FrozenDictionary<string, FrozenDictionary<int, ProtobufField>>> Messages = new(Load);

    public static FrozenDictionary<int, ProtobufField>? Find(string message) => Messages.Value.GetValueOrDefault(message);

    public static IEnumerable<string> MessageNames => Messages.Value.Keys;

    private static FrozenDictionary<string, FrozenDictionary<int, ProtobufField>> Load()
    {
        using var stream = typeof(ProtobufSchema).Assembly.GetManifestResourceStream("kubernetes-protobuf-schema.txt")
            ?? throw new InvalidOperationException("the protobuf schema table is not embedded in the simulator assembly");
        using var reader = new StreamReader(stream);
        var messages = new Dictionary<string, FrozenDictionary<int, ProtobufField>>(StringComparer.Ordinal);
        string? current = null;
        var fields = new Dictionary<int, ProtobufField>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts[0] == "message")
            {
                Flush();
                current = parts[1];
                continue;
            }

            var number = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var label = parts[2] switch
            {
                "repeated" => ProtobufLabel.Repeated,
                "map" => ProtobufLabel.Map,
                _ => ProtobufLabel.Optional,
            };
            if (label == ProtobufLabel.Map)
            {
                var kv = parts[3].Split(',');
                fields[number] = new ProtobufField(number, parts[1], label, kv[0], kv[1], false);
            }
            else
            {
                var flag = parts.Length > 4 ? parts[4] : "";
                fields[number] = new ProtobufField(number, parts[1], label, parts[3], null, flag == "omitzero", flag == "inline");
            }
        }

        Flush();
        return messages.ToFrozenDictionary(StringComparer.Ordinal);

        void Flush()
        {
            if (current is not null)
            {
                messages[current] = fields.ToFrozenDictionary();
            }

            fields = [];
        }
    }
}
