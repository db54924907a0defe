namespace NetworkOperator.Runtime.Client;

/// <summary>A list decoded item by item: the objects that fit the model, and the ones that did not.</summary>
public sealed record DecodedList<T>(IList<T> Items, string? ResourceVersion, IReadOnlyList<InvalidObject> Invalid);
