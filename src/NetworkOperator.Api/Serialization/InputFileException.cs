namespace NetworkOperator.Api.Serialization;

/// <summary>An input file cannot be read; the message is one line, without the path (the caller prefixes it).</summary>
public sealed class InputFileException : Exception
{
    public InputFileException(string message)
        : base(message)
    {
    }

    public InputFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InputFileException()
        : this("cannot read the file")
    {
    }
}
