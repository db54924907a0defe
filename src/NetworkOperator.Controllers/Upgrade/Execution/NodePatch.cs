using System.Text.Json.Nodes;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// The label, annotation and cordon changes one pass makes to one node, sent as a single JSON merge patch so they land
/// atomically (a crash can never leave, say, the state label changed without its annotation).
/// </summary>
internal sealed class NodePatch(string node)
{
    private readonly JsonObject _labels = [];
    private readonly JsonObject _annotations = [];
    private bool? _unschedulable;

    public string Node { get; } = node;

    public bool IsEmpty => _labels.Count == 0 && _annotations.Count == 0 && _unschedulable is null;

    public void Label(string key, string? value) => _labels[key] = value;

    public void Annotation(string key, string? value) => _annotations[key] = value;

    public void Unschedulable(bool value) => _unschedulable = value;

    public string ToJson()
    {
        var root = new JsonObject();
        var metadata = new JsonObject();
        if (_labels.Count > 0)
        {
            metadata["labels"] = _labels.DeepClone();
        }

        if (_annotations.Count > 0)
        {
            metadata["annotations"] = _annotations.DeepClone();
        }

        if (metadata.Count > 0)
        {
            root["metadata"] = metadata;
        }

        if (_unschedulable is { } unschedulable)
        {
            // Uncordon removes the field, as kubectl does (false is its default).
            root["spec"] = new JsonObject { ["unschedulable"] = unschedulable ? true : null };
        }

        return root.ToJsonString();
    }
}
