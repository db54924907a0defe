namespace NetworkOperator.Api.Schema;

/// <summary>Inclusive lower bound of a numeric field; becomes <c>minimum</c> in the generated CRD schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
