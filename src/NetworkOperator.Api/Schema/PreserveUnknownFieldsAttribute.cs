namespace NetworkOperator.Api.Schema;

/// <summary>The field holds free-form data the API server must keep as-is (<c>x-kubernetes-preserve-unknown-fields</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
