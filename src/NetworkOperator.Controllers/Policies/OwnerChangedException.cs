namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// The owner of a reconcile pass was deleted, is being deleted, or got a new spec while the pass ran: nothing more is
/// created for the old state. Not a failure: the reconcilers end the pass quietly and the owner's own event (or its
/// absence) decides what happens next.
/// </summary>
public sealed class OwnerChangedException : Exception
{
    public OwnerChangedException()
    {
    }

    public OwnerChangedException(string message)
        : base(message)
    {
    }

    public OwnerChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
