namespace NetworkOperator.Api;

/// <summary>Identity of one kind this project reads, serves or installs a CRD for.</summary>
public sealed record ResourceKind(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    Type ClrType)
{
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The CRD's <c>metadata.name</c>: <c>&lt;plural&gt;.&lt;group&gt;</c>.</summary>
    public string CrdName => Plural + "." + Group;
}
