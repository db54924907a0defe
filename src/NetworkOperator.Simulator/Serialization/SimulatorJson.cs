using System.Text.Encodings.Web;
using System.Text.Json;

namespace NetworkOperator.Simulator.Serialization;

/// <summary>Shared serializer options (cached once, as options are expensive to build).</summary>
public static class SimulatorJson
{
    public static JsonSerializerOptions Compact { get; } = new()
    {
        WriteIndented = false,
        // The real server writes '<', '>' and '&' literally; so do we, so annotations round-trip byte for byte.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
