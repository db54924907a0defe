namespace NetworkOperator.Api.Serialization;

/// <summary>Reading manifests failed; <see cref="Exception.Message"/> lists every error, one per line, for printing as-is.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(IReadOnlyList<ManifestError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public ManifestException()
        : this([])
    {
    }

    public ManifestException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ManifestError> Errors { get; }
}
