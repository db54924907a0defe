using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// A precompiled-driver tag lister that never touches the network: it knows no tags, so every driver pool builds
/// from source. Used by the demo (<c>OFED_PRECOMPILED_TAG_LISTER=offline</c>) so nothing leaves 127.0.0.1.
/// </summary>
public sealed class OfflineTagLister : IPrecompiledTagLister
{
    public PrecompiledTagLookup Lookup(string repository, string image, string tag) => new(false, null);

    /// <summary>Always the same answers.</summary>
    public long? Version => 0;
}
