namespace NetworkOperator.Api.Validation;

/// <summary>A node that more than one NicNodePolicy selects; policy names sorted.</summary>
public sealed record NodeOverlap(string NodeName, IReadOnlyList<string> PolicyNames);
