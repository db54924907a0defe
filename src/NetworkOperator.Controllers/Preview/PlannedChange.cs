namespace NetworkOperator.Controllers.Preview;

/// <summary>
/// One line of a change plan: an object (or the previewed custom resource itself, with an empty state), the resource
/// and component state that render it, the action, and a note when the action has consequences beyond the object.
/// </summary>
public sealed record PlannedChange(ChangeAction Action, string Kind, string? Namespace, string Name, string Source, string State, string? Note = null)
{
    public bool IsChange => Action is ChangeAction.Create or ChangeAction.Update or ChangeAction.Delete;

    public string QualifiedName => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";
}
