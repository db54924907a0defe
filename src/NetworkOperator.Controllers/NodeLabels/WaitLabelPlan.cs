namespace NetworkOperator.Controllers.NodeLabels;

/// <summary>
/// Node label writes the wait-label algorithm asks for: node name → new value, null meaning "remove the label".
/// Only nodes whose label actually changes appear, so an unchanged world produces no writes.
/// </summary>
/// <param name="Changes">Every label change the nodes still need (what the readiness gate counts).</param>
/// <param name="Requeue">Whether the plan depends on something no watch reports (terminating pods).</param>
/// <param name="HandedOver">
/// Nodes among <paramref name="Changes"/> whose <c>mofed.wait=false</c> the driver upgrade is about to write together
/// with their first upgrade state; the wait-label controller leaves them to it for a grace period.
/// </param>
public sealed record WaitLabelPlan(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Changes,
    bool Requeue,
    IReadOnlySet<string>? HandedOver = null)
{
    public IReadOnlySet<string> HandedOverNodes => HandedOver ?? EmptySet;

    private static readonly HashSet<string> EmptySet = new(StringComparer.Ordinal);

    public bool IsEmpty => Changes.Count == 0;
}
