using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Watch;

/// <summary>BOOKMARK objects: only kind, apiVersion and the resourceVersion the watcher has caught up to.</summary>
internal static class Bookmarks
{
    public static JsonObject Build(ResourceType type, long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata };
    }
}
