using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Ofed;

/// <summary>The driver image of one pool (docs/rendering.md) and whether it is precompiled (precompiled and digest images need no build).</summary>
public sealed record DriverImage(string Reference, bool Precompiled)
{
    public static DriverImage Select(ResolvedImage image, DriverPool pool, bool forcePrecompiled, IPrecompiledTagLister? lister, string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(pool);
        if (image.IsDigest)
        {
            return new DriverImage(image.Reference, false);
        }

        var osSuffix = $"{pool.OsName}{pool.OsVersion}-{pool.Arch}";
        var precompiledTag = $"{image.Version}-{pool.Kernel}-{osSuffix}";
        var lookup = lister?.Lookup(image.Repository, image.Image, precompiledTag) ?? new PrecompiledTagLookup(false, null);
        if (lookup.Exists)
        {
            return new DriverImage(ImagePath.Build(image.Repository, image.Image, precompiledTag), true);
        }

        if (forcePrecompiled)
        {
            var reason = lister is null
                ? $"ForcePrecompiled is enabled but precompiled tag lookup is disabled, so tag {precompiledTag} cannot be verified"
                : lookup.Error is null
                    ? $"ForcePrecompiled is enabled and precompiled tag was not found: {precompiledTag}"
                    : $"ForcePrecompiled is enabled and failed to verify existence of precompiled tag: {precompiledTag}, {lookup.Error}";
            throw new RenderException(reason, fieldPath + ".forcePrecompiled");
        }

        return new DriverImage(ImagePath.Build(image.Repository, image.Image, $"{image.Version}-{osSuffix}"), false);
    }
}
