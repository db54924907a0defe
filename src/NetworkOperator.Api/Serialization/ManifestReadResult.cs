namespace NetworkOperator.Api.Serialization;

/// <summary>Everything read from one or more files: the objects that parsed, and every error found.</summary>
public sealed class ManifestReadResult(IReadOnlyList<ManifestObject> objects, IReadOnlyList<ManifestError> errors)
{
    public IReadOnlyList<ManifestObject> Objects { get; } = objects;

    public IReadOnlyList<ManifestError> Errors { get; } = errors;

    /// <summary>Objects of kinds from other API groups, left out: reported to the user, never an error.</summary>
    public IReadOnlyList<ManifestError> Skipped { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;

    public IEnumerable<T> OfType<T>()
        where T : class => Objects.Select(o => o.Value).OfType<T>();

    /// <summary>The objects, or a <see cref="ManifestException"/> listing every error, so nothing is used half-read.</summary>
    public IReadOnlyList<ManifestObject> GetObjectsOrThrow() => Succeeded ? Objects : throw new ManifestException(Errors);
}
