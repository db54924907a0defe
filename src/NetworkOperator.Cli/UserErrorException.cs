namespace NetworkOperator.Cli;

/// <summary>An error caused by the user's input: printed as one clear message, with no stack trace.</summary>
public sealed class UserErrorException : Exception
{
    public UserErrorException(string message, int exitCode = 1)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public UserErrorException()
        : this("invalid input")
    {
    }

    public UserErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = 1;
    }

    public int ExitCode { get; }
}
