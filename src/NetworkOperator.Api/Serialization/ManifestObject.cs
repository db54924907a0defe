namespace NetworkOperator.Api.Serialization;

/// <summary>An object read from a manifest file, typed by its apiVersion and kind, and where it came from.</summary>
public sealed record ManifestObject(object Value, ReadableKind Kind, string File, int DocumentIndex, int? ItemIndex, SourceLocation Location)
{
    public T As<T>()
        where T : class => Value as T ?? throw new InvalidCastException($"{Kind.Kind} is not a {typeof(T).Name}");
}
