using System.Text.Json.Nodes;
using k8s.Models;

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

    /// <summary>The value this patch gives <paramref name="key"/>, if it sets that label (null = removes it).</summary>
    public bool SetsLabel(string key, out string? value)
    {
        value = _labels.TryGetPropertyValue(key, out var node) ? node?.GetValue<string>() : null;
        return _labels.ContainsKey(key);
    }

    /// <summary>
    /// Drops every change <paramref name="current"/> already has (a label or annotation at that value, removing one that
    /// is absent, the cordon as it is), so a node that needs nothing gets no write at all.
    /// </summary>
    public void DropUnchanged(V1Node current)
    {
        ArgumentNullException.ThrowIfNull(current);
        DropUnchanged(_labels, current.Metadata?.Labels);
        DropUnchanged(_annotations, current.Metadata?.Annotations);
        if (_unschedulable is { } wanted && (current.Spec?.Unschedulable == true) == wanted)
        {
            _unschedulable = null;
        }
    }

    private static void DropUnchanged(JsonObject changes, IDictionary<string, string>? current)
    {
        foreach (var (key, value) in changes.ToList())
        {
            var wanted = value?.GetValue<string>();
            string? existing = null;
            var has = current?.TryGetValue(key, out existing) == true;
            if (wanted is null ? !has : existing == wanted)
            {
                changes.Remove(key);
            }
        }
    }

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
