namespace NetworkOperator.Controllers.Preview;

/// <summary>
/// Everything applying a set of custom resources would change on one cluster: per object an action, the driver pools,
/// and the component states that could not render (the operator would report them as errors and touch nothing there).
/// </summary>
public sealed record ChangePlan(IReadOnlyList<PlannedChange> Changes, IReadOnlyList<PlannedDriverPool> DriverPools, IReadOnlyList<string> RenderErrors)
{
    public bool HasChanges => Changes.Any(c => c.IsChange);

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);
}
