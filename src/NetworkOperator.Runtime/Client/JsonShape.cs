using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// The part of an object a cache keeps, applied to the JSON before it is decoded into the model: properties not named
/// are skipped unread. A cache <c>Transform</c> drops most of a Pod (its spec: containers, env, volumes, probes) after
/// the reflection-based decoder has built every one of those objects; at 1,000 nodes the operator's watch streams carry
/// ~25 MB of driver and NIC configuration pods during an install, and decoding them was a quarter of its CPU. A shape
/// on an array applies to each of its items; <see cref="All"/> keeps a value whole.
/// </summary>
public sealed class JsonShape
{
    private readonly Dictionary<string, JsonShape>? _fields;

    private JsonShape(Dictionary<string, JsonShape>? fields) => _fields = fields;

    /// <summary>Keeps the value as it is.</summary>
    public static JsonShape All { get; } = new(null);

    /// <summary>Keeps the named properties of an object (each whole), nothing else.</summary>
    public static JsonShape Of(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new JsonShape(names.ToDictionary(n => n, _ => All, StringComparer.Ordinal));
    }

    /// <summary>Keeps the named properties of an object, each cut to its own shape, nothing else.</summary>
    public static JsonShape Of(params (string Name, JsonShape Shape)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new JsonShape(fields.ToDictionary(f => f.Name, f => f.Shape, StringComparer.Ordinal));
    }

    /// <summary>This shape plus <paramref name="more"/> properties kept whole.</summary>
    public JsonShape With(params string[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var fields = new Dictionary<string, JsonShape>(_fields ?? [], StringComparer.Ordinal);
        foreach (var name in more)
        {
            fields[name] = All;
        }

        return new JsonShape(fields);
    }

    /// <summary>Writes the kept part of <paramref name="value"/> as UTF-8 JSON.</summary>
    public void WriteTo(JsonElement value, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        Write(value, writer);
    }

    /// <summary>Decodes the kept part of <paramref name="value"/> with KubernetesClient's serializer settings.</summary>
    public T? Deserialize<T>(JsonElement value)
    {
        // One buffer and writer per thread: every watch event of a shaped informer comes through here.
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var writer = _writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(value, writer);
            writer.Flush();
            return JsonSerializer.Deserialize(buffer.WrittenSpan, (JsonTypeInfo<T>)KubernetesJsonOptions.Value.GetTypeInfo(typeof(T)));
        }
        finally
        {
            if (buffer.Capacity > MaxKeptBuffer)
            {
                // An outsized object does not pin its buffer for the thread's lifetime.
                _buffer = null;
                _writer = null;
            }
        }
    }

    private const int MaxKeptBuffer = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    private void Write(JsonElement value, Utf8JsonWriter writer)
    {
        if (_fields is null)
        {
            value.WriteTo(writer);
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    if (_fields.TryGetValue(property.Name, out var shape))
                    {
                        writer.WritePropertyName(property.Name);
                        shape.Write(property.Value, writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                // A scalar where an object was expected is passed on, so the model reports it as it would have.
                value.WriteTo(writer);
                break;
        }
    }
}
