using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Schema;

/// <summary>Group, version and plural resource name: how a URL and the in-process API name a type.</summary>
public readonly record struct GroupVersionResource(string Group, string Version, string Resource)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? $"{Version}/{Resource}" : $"{Group}/{Version}/{Resource}";
}

/// <summary>
/// Everything the server knows about one served resource: names for discovery, scope, which subresources exist and
/// which fields list calls may select on. Built-in types are declared in <see cref="BuiltInResources"/>; custom
/// resources get one per served CRD version.
/// </summary>
public sealed class ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Whether writes to the main resource keep the stored status and /status writes only the status.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>The <c>/scale</c> subresource (autoscaling/v1 Scale), or null when the kind has none.</summary>
    public ScaleSubresource? Scale { get; init; }

    /// <summary>Whether metadata.generation is kept and bumped on spec changes (types with a spec/status split).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether a create keeps the status the client sent (nodes do: the kubelet registers them with status).</summary>
    public bool KeepsStatusOnCreate { get; init; }

    /// <summary>Whether a PUT without metadata.resourceVersion is accepted (built-ins yes, custom resources no).</summary>
    public bool AllowsUnconditionalUpdate { get; init; } = true;

    /// <summary>Whether DELETE answers with the deleted object instead of a Success Status.</summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>Field selector paths beyond metadata.name and metadata.namespace.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>Extra subresources (besides status) listed in discovery, e.g. pods/eviction.</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    public bool IsCustom { get; init; }

    /// <summary>The structural schema of a custom resource version (openAPIV3Schema), or null.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>CRD additionalPrinterColumns of a custom resource version, or null.</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>Whether this version is the CRD's storage version (used to pick the preferred version).</summary>
    public bool IsStorageVersion { get; init; } = true;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"configmaps" or "deployments.apps": how error messages and storage keys name the type.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Storage is per group and plural, so every served version of a CRD shares one set of objects.</summary>
    public string StorageKey => QualifiedResource;

    public GroupVersionResource Gvr => new(Group, Version, Plural);

    public static IReadOnlyList<string> Verbs { get; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public override string ToString() => $"{ApiVersion}, Kind={Kind}";
}
