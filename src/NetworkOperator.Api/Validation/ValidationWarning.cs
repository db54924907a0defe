namespace NetworkOperator.Api.Validation;

/// <summary>A soft problem: accepted, but probably not what the user meant.</summary>
public sealed record ValidationWarning(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
