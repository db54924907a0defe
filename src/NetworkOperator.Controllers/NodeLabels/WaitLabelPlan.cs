namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// Node label writes the wait-label algorithm asks for: node name → new value, null meaning "remove the label".
/// Only nodes whose label actually changes appear, so an unchanged world produces no writes.
/// </summary>
/// <param name="Changes">Per node, the labels to set (null removes one).</param>
/// <param name="Requeue">Whether the plan depends on something no watch reports (terminating pods).</param>
public sealed record WaitLabelPlan(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Changes,
    bool Requeue)
{
    public bool IsEmpty => Changes.Count == 0;
}
