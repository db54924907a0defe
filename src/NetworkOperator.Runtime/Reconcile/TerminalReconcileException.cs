namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// An error retrying cannot fix (invalid spec, unsupported combination). The controller logs and counts it and does
/// not requeue; a later change to a watched object triggers a fresh reconcile.
/// </summary>
public sealed class TerminalReconcileException : Exception
{
    public TerminalReconcileException()
    {
    }

    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    public TerminalReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
