using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// One field error: path, type, the bad value already printed the way the real server prints it (Go syntax: quoted
/// strings, plain numbers, <c>map[string]string{...}</c>) and the detail.
/// </summary>
internal sealed record FieldError(FieldErrorType Type, string Field, string? BadValue, string Detail)
{
    /// <summary>The message body without the field, e.g. <c>Invalid value: "x": must be ...</c>.</summary>
    public string Body
    {
        get
        {
            var body = Type.OmitsValue() || BadValue is null ? Type.Text() : $"{Type.Text()}: {BadValue}";
            return Detail.Length > 0 ? $"{body}: {Detail}" : body;
        }
    }

    public StatusCause ToCause() => new(Type.CauseType(), Body, Field);
}
