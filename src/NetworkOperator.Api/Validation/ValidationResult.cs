namespace NetworkOperator.Api.Validation;

/// <summary>The outcome of validating one object.</summary>
public sealed class ValidationResult(IReadOnlyList<ValidationError> errors, IReadOnlyList<ValidationWarning> warnings)
{
    public static ValidationResult Valid { get; } = new([], []);

    public IReadOnlyList<ValidationError> Errors { get; } = errors;

    public IReadOnlyList<ValidationWarning> Warnings { get; } = warnings;

    public bool IsValid => Errors.Count == 0;

    public override string ToString() => string.Join("; ", Errors.Select(e => e.ToString()));
}
