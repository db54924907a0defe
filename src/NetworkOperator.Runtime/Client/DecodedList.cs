namespace NetworkOperator.Runtime.Client;

/// <summary>
/// A list (or one page of it) decoded item by item: the objects that fit the model, the ones that did not, and the
/// token for the next page (null on the last).
/// </summary>
public sealed record DecodedList<T>(IList<T> Items, string? ResourceVersion, IReadOnlyList<InvalidObject> Invalid, string? Continue = null);
