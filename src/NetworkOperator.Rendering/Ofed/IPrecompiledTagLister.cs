namespace NetworkOperator.Rendering.Ofed;

/// <summary>
/// Answers "does the registry hold this precompiled driver tag?" from a cache, synchronously, so rendering stays a
/// pure function. Filling the cache (network I/O) is the implementation's business, done before rendering.
/// </summary>
public interface IPrecompiledTagLister
{
    PrecompiledTagLookup Lookup(string repository, string image, string tag);

    /// <summary>
    /// Changes whenever an answer of <see cref="Lookup"/> may have changed; null when the lister cannot tell, so a
    /// render from it is never reused (the operator's render memo keys on it).
    /// </summary>
    long? Version => null;
}

/// <summary>The answer: whether the tag exists, and the error of the last fetch when the list could not be read.</summary>
public readonly record struct PrecompiledTagLookup(bool Exists, string? Error);
