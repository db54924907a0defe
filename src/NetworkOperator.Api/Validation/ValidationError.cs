using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// One rejected field, printed in the API server's style: <c>spec.mtu: Invalid value: 70000: message</c>. As Go's
/// field errors, a number is printed as is and any other value quoted (<see cref="NumericValue"/>).
/// </summary>
public sealed record ValidationError(string Field, ValidationErrorType Type, string Message, string? BadValue = null, bool NumericValue = false)
{
    public override string ToString() => $"{PrintableText.Escape(Field)}: {Detail}";

    /// <summary>Everything after the field: <c>Invalid value: 70000: message</c>, user text escaped.</summary>
    public string Detail
    {
        get
        {
            var kind = Type switch
            {
                ValidationErrorType.Invalid => "Invalid value",
                ValidationErrorType.Required => "Required value",
                ValidationErrorType.NotSupported => "Unsupported value",
                ValidationErrorType.Forbidden => "Forbidden",
                ValidationErrorType.Duplicate => "Duplicate value",
                _ => Type.ToString(),
            };
            var value = BadValue is null || Type is ValidationErrorType.Required or ValidationErrorType.Forbidden ? string.Empty : NumericValue ? $": {BadValue}" : $": {Quote(BadValue)}";
            return $"{kind}{value}: {PrintableText.Escape(Message)}";
        }
    }

    // User text is escaped (control characters, terminal escapes) and shortened before it is echoed.
    private static string Quote(string value)
    {
        var shown = PrintableText.Escape(value);
        return shown.Length > 80 ? "\"" + shown[..77] + "...\"" : "\"" + shown + "\"";
    }
}
