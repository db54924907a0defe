using System.Text;

namespace NetworkOperator.Api.Serialization;

/// <summary>One problem found while reading a manifest file, with everything a user needs to find it.</summary>
public sealed record ManifestError(
    string File,
    int? DocumentIndex,
    int? ItemIndex,
    string? Kind,
    string? Name,
    string? FieldPath,
    SourceLocation? Location,
    string Message)
{
    /// <summary>
    /// <c>policy.yaml: document 2 (NicClusterPolicy "nic-cluster-policy"): spec.ofedDriver.version (line 12, column 14): message</c>.
    /// Documents are numbered from 1 for people.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(File);
        if (DocumentIndex is { } document)
        {
            text.Append(": document ").Append(document + 1);
            if (ItemIndex is { } item)
            {
                text.Append(", item ").Append(item + 1);
            }

            if (Kind is not null || Name is not null)
            {
                text.Append(" (").Append(Kind ?? "object");
                if (Name is not null)
                {
                    text.Append(" \"").Append(Name).Append('"');
                }

                text.Append(')');
            }
        }

        if (!string.IsNullOrEmpty(FieldPath))
        {
            text.Append(": ").Append(FieldPath);
        }

        if (Location is { } location)
        {
            text.Append(" (").Append(location).Append(')');
        }

        // File, name, path and message may all echo user text: no control character reaches the terminal.
        return PrintableText.Escape(text.Append(": ").Append(Message).ToString());
    }
}
