namespace NetworkOperator.Api.Serialization;

/// <summary>A 1-based line and column in a source file.</summary>
public readonly record struct SourceLocation(long Line, long Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
