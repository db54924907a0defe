namespace NetworkOperator.Api.Serialization;

/// <summary>
/// What one input file may cost, counted across all its documents (not per document, so a file of many small alias
/// bombs or millions of <c>---</c> separators is refused as early as one big one). The defaults leave room for a
/// 5,000-node <c>kubectl get nodes -o yaml</c> dump while keeping a hostile file to a few hundred MB and seconds.
/// </summary>
public sealed record InputBudget
{
    public static InputBudget Default { get; } = new();

    /// <summary>Bytes read from a file or stdin.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>YAML documents in the file, empty ones included.</summary>
    public int MaxDocuments { get; init; } = 20_000;

    /// <summary>Values (scalars, mappings, sequences) produced, aliases counted with their whole expansion.</summary>
    public int MaxValues { get; init; } = 1_500_000;

    /// <summary>Deeper nesting than any Kubernetes object has; also guards the recursive reader.</summary>
    public int MaxDepth { get; init; } = 100;
}
