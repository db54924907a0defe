using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Validation;

/// <summary>An error list under construction, with the constructors of the real server's field errors.</summary>
internal sealed class FieldErrors : List<FieldError>
{
    public void Required(FieldPath path, string detail = "") => Add(new FieldError(FieldErrorType.Required, path.ToString(), null, detail));

    public void Forbidden(FieldPath path, string detail) => Add(new FieldError(FieldErrorType.Forbidden, path.ToString(), null, detail));

    public void Invalid(FieldPath path, string value, string detail) =>
        Add(new FieldError(FieldErrorType.Invalid, path.ToString(), GoValue.Quote(value), detail));

    public void Invalid(FieldPath path, long value, string detail) =>
        Add(new FieldError(FieldErrorType.Invalid, path.ToString(), GoValue.Number(value), detail));

    /// <summary>An invalid value printed by the caller (a map, a struct, a list).</summary>
    public void InvalidPrinted(FieldPath path, string printedValue, string detail) =>
        Add(new FieldError(FieldErrorType.Invalid, path.ToString(), printedValue, detail));

    public void Invalid(FieldPath path, JsonNode? value, string detail) =>
        Add(new FieldError(FieldErrorType.Invalid, path.ToString(), GoValue.Print(value), detail));

    public void NotFound(FieldPath path, string value) => Add(new FieldError(FieldErrorType.NotFound, path.ToString(), GoValue.Quote(value), ""));

    public void Duplicate(FieldPath path, string value) => Add(new FieldError(FieldErrorType.Duplicate, path.ToString(), GoValue.Quote(value), ""));

    public void DuplicatePrinted(FieldPath path, string printedValue, string detail = "") =>
        Add(new FieldError(FieldErrorType.Duplicate, path.ToString(), printedValue, detail));

    public void NotSupported(FieldPath path, string value, params string[] supported) =>
        Add(new FieldError(FieldErrorType.NotSupported, path.ToString(), GoValue.Quote(value),
            supported.Length == 0 ? "" : "supported values: " + string.Join(", ", supported.Select(GoValue.Quote))));

    /// <summary>As the real server's TooLong: the value is not printed.</summary>
    public void TooLong(FieldPath path, long maxBytes) =>
        Add(new FieldError(FieldErrorType.TooLong, path.ToString(), null, $"may not be more than {maxBytes} {(maxBytes == 1 ? "byte" : "bytes")}"));

    public void AddMessages(FieldPath path, string value, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            Invalid(path, value, message);
        }
    }
}
