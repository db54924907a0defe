namespace NetworkOperator.Api.Serialization;

/// <summary>The text is not well-formed YAML (or JSON).</summary>
public sealed class YamlSyntaxException : Exception
{
    public YamlSyntaxException(string message, SourceLocation location, int documentIndex, Exception? inner = null)
        : base(message, inner)
    {
        Location = location;
        DocumentIndex = documentIndex;
    }

    public YamlSyntaxException()
        : this("invalid YAML", new SourceLocation(1, 1), 0)
    {
    }

    public YamlSyntaxException(string message)
        : this(message, new SourceLocation(1, 1), 0)
    {
    }

    public YamlSyntaxException(string message, Exception innerException)
        : this(message, new SourceLocation(1, 1), 0, innerException)
    {
    }

    public SourceLocation Location { get; }

    /// <summary>0-based index of the document the error is in.</summary>
    public int DocumentIndex { get; }
}
