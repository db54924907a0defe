namespace NetworkOperator.Api.Validation;

/// <summary>One rejected field, printed in the API server's style: <c>spec.mtu: Invalid value: 70000: message</c>.</summary>
public sealed record ValidationError(string Field, ValidationErrorType Type, string Message, string? BadValue = null)
{
    public override string ToString()
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
        var value = BadValue is null || Type is ValidationErrorType.Required or ValidationErrorType.Forbidden ? string.Empty : $": {Quote(BadValue)}";
        return $"{Field}: {kind}{value}: {Message}";
    }

    private static string Quote(string value) => value.Length > 80 ? "\"" + value[..77] + "...\"" : "\"" + value + "\"";
}
