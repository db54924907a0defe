namespace NetworkOperator.Rendering.Common;

/// <summary>Builds image references the way upstream templates do: a <c>sha256:</c> version is a digest, anything else a tag.</summary>
public static class ImagePath
{
    public const string DigestPrefix = "sha256:";

    public static bool IsDigest(string? version) => version is not null && version.StartsWith(DigestPrefix, StringComparison.Ordinal);

    public static string Build(string repository, string image, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(image);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var separator = IsDigest(version) ? '@' : ':';
        return $"{repository.TrimEnd('/')}/{image}{separator}{version}";
    }
}
