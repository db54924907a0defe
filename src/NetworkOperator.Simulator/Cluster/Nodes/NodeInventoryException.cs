namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>
/// A node inventory file that cannot be used; the message names the file, the document, the object and the field path
/// so the CLI can print it as a user error without a stack trace.
/// </summary>
public sealed class NodeInventoryException : Exception
{
    public NodeInventoryException(string message)
        : base(message)
    {
    }

    public NodeInventoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NodeInventoryException()
    {
    }
}
