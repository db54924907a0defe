namespace NetworkOperator.Runtime.Client;

/// <summary>Where a kind lives in the API: enough to build its URLs without discovery.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>A short name for logs and metric labels, e.g. <c>configmaps</c> or <c>nicclusterpolicies.mellanox.com</c>.</summary>
    public string Resource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public override string ToString() => $"{Kind} ({ApiVersion}, {Plural})";
}
