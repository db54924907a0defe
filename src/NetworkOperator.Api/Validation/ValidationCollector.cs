namespace NetworkOperator.Api.Validation;

/// <summary>Accumulates errors and warnings while the checks of one object run.</summary>
internal sealed class ValidationCollector
{
    private readonly List<ValidationError> _errors = [];
    private readonly List<ValidationWarning> _warnings = [];

    public void Invalid(string field, string? value, string message) => _errors.Add(new(field, ValidationErrorType.Invalid, message, value));

    public void Invalid(string field, long value, string message) =>
        _errors.Add(new(field, ValidationErrorType.Invalid, message, value.ToString(System.Globalization.CultureInfo.InvariantCulture), NumericValue: true));

    public void Required(string field, string message) => _errors.Add(new(field, ValidationErrorType.Required, message));

    public void NotSupported(string field, string? value, IEnumerable<string> supported) =>
        _errors.Add(new(field, ValidationErrorType.NotSupported, "supported values: " + string.Join(", ", supported.Select(s => "\"" + s + "\"")), value));

    public void Forbidden(string field, string message) => _errors.Add(new(field, ValidationErrorType.Forbidden, message));

    public void Duplicate(string field, string? value, string message) => _errors.Add(new(field, ValidationErrorType.Duplicate, message, value));

    public void Warn(string field, string message) => _warnings.Add(new(field, message));

    public ValidationResult ToResult()
    {
        // The same problem found by two rules (e.g. the schema pattern and the reference grammar) is reported once.
        var errors = _errors.DistinctBy(e => (e.Field, e.Type, e.Message)).ToList();
        return new ValidationResult(errors, _warnings.Distinct().ToList());
    }
}
