namespace NetworkOperator.Api.Schema;

/// <summary>
/// A CEL rule the API server evaluates on this property (<c>x-kubernetes-validations</c>). The offline path cannot run CEL,
/// so rules that matter offline are mirrored by checks in the validation library.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;
}
