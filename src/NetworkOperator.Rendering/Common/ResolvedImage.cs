using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Common;

/// <summary>
/// A component's image after <c>spec.global</c> inheritance: repository and version fall back to the global ones when
/// empty, pull secrets when the component's list is empty. The policy object is never modified.
/// </summary>
public sealed record ResolvedImage(string Repository, string Image, string Version, IReadOnlyList<string> PullSecrets, IReadOnlyList<ResourceRequirements> ContainerResources)
{
    public string Reference => ImagePath.Build(Repository, Image, Version);

    public bool IsDigest => ImagePath.IsDigest(Version);

    /// <summary>Merges <paramref name="global"/> into <paramref name="spec"/>; <paramref name="fieldPath"/> (e.g. <c>spec.ofedDriver</c>) prefixes error paths.</summary>
    public static ResolvedImage Resolve(ImageSpec spec, GlobalConfig? global, string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var repository = string.IsNullOrEmpty(spec.Repository) ? global?.Repository : spec.Repository;
        var version = string.IsNullOrEmpty(spec.Version) ? global?.Version : spec.Version;
        var secrets = spec.ImagePullSecrets is { Count: > 0 } own ? own : global?.ImagePullSecrets ?? [];
        if (string.IsNullOrEmpty(spec.Image))
        {
            throw new RenderException("image is required", fieldPath + ".image");
        }

        if (string.IsNullOrEmpty(repository))
        {
            throw new RenderException("repository is required", fieldPath + ".repository");
        }

        if (string.IsNullOrEmpty(version))
        {
            throw new RenderException("version is required", fieldPath + ".version");
        }

        return new ResolvedImage(repository, spec.Image, version, [.. secrets], spec.ContainerResources ?? []);
    }
}
