namespace NetworkOperator.Api.Schema;

/// <summary>
/// The list defaults to <c>[]</c> when absent. <see cref="System.ComponentModel.DefaultValueAttribute"/> cannot carry an
/// empty list, so lists get their own marker.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultEmptyListAttribute : Attribute;
