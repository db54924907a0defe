using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Patch;

/// <summary>Strategic merge patch (placeholder until the keyed list merge lands): merge patch without directives.</summary>
public static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergePatch.Apply(target, patch);
}
