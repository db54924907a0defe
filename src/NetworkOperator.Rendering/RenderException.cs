namespace NetworkOperator.Rendering;

/// <summary>
/// The policy or network cannot be turned into objects (a missing repository, invalid ipam JSON, a forced precompiled
/// driver that does not exist...). The message is meant for the user: it names the field path when one is to blame.
/// Nothing is rendered for the state when this is thrown, so nothing is half-applied.
/// </summary>
public sealed class RenderException : Exception
{
    public RenderException(string message, string? fieldPath = null)
        : base(fieldPath is null ? message : $"{fieldPath}: {message}")
    {
        FieldPath = fieldPath;
        Reason = message;
    }

    public RenderException()
        : this("render failed")
    {
    }

    public RenderException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>JSON path of the offending field, e.g. <c>spec.ofedDriver.version</c>; null when no single field is to blame.</summary>
    public string? FieldPath { get; }

    /// <summary>The message without the field path prefix.</summary>
    public string Reason { get; }
}
