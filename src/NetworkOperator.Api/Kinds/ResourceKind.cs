namespace NetworkOperator.Api;

/// <summary>
/// Identity of one kind: enough to build its URLs without discovery. Two values are the same kind when group,
/// version, kind, plural and scope agree; the descriptive extras (singular, short names, model type) do not count.
/// </summary>
public sealed record ResourceKind(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    /// <summary>The lower-case singular name (a CRD's <c>names.singular</c>).</summary>
    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>The model type, when the kind has one.</summary>
    public Type? ClrType { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The CRD's <c>metadata.name</c>: <c>&lt;plural&gt;.&lt;group&gt;</c>.</summary>
    public string CrdName => Plural + "." + Group;

    /// <summary>A short name for logs and metric labels, e.g. <c>configmaps</c> or <c>nicclusterpolicies.mellanox.com</c>.</summary>
    public string Resource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool Equals(ResourceKind? other) =>
        other is not null && Group == other.Group && Version == other.Version && Kind == other.Kind && Plural == other.Plural
        && Namespaced == other.Namespaced;

    public override int GetHashCode() => HashCode.Combine(Group, Version, Kind);

    public override string ToString() => $"{Kind} ({ApiVersion}, {Plural})";
}
