namespace NetworkOperator.Api.Serialization;

/// <summary>An object read from a manifest file, typed by its apiVersion and kind, and where it came from.</summary>
public sealed record ManifestObject(object Value, ReadableKind Kind, string File, int DocumentIndex, int? ItemIndex, SourceLocation Location)
{
    /// <summary>The parsed document the object came from; gives field locations for errors found later (validation).</summary>
    public YamlDocument? Document { get; init; }

    /// <summary>Where the object sits in its document: empty, or <c>items[3]</c> inside a List.</summary>
    public string DocumentPath { get; init; } = string.Empty;

    /// <summary>Line and column of a field of this object (user path such as <c>spec.mtu</c>), or of its nearest ancestor.</summary>
    public SourceLocation? LocationOf(string fieldPath)
    {
        if (Document is null)
        {
            return null;
        }

        var path = DocumentPath.Length == 0 ? fieldPath
            : fieldPath.Length == 0 ? DocumentPath
            : fieldPath.StartsWith('[') ? DocumentPath + fieldPath
            : DocumentPath + "." + fieldPath;
        return Document.LocationOf(path);
    }

    /// <summary>An error about a field of this object, for problems found after reading (e.g. by validation).</summary>
    public ManifestError ErrorAt(string fieldPath, string message) =>
        new(File, DocumentIndex, ItemIndex, Kind.Kind, NameOf(Value), fieldPath, LocationOf(fieldPath), message);

    private static string? NameOf(object value) => (value as k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>)?.Metadata?.Name;

    public T As<T>()
        where T : class => Value as T ?? throw new InvalidCastException($"{Kind.Kind} is not a {typeof(T).Name}");
}
