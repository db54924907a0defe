using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Selectors;

/// <summary>
/// A parsed field selector. Only the fields the real server indexes for a type may be used; anything else is the
/// same 400 the real server answers.
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, string Value, bool Equal)> _terms;

    private FieldSelector(IReadOnlyList<(string, string, bool)> terms)
    {
        _terms = terms;
    }

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    public IEnumerable<string> Fields => _terms.Select(t => t.Field);

    /// <summary>The name this selector pins with metadata.name=X, if any (lets list and watch skip a scan).</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public bool Matches(Func<string, string?> fieldValue)
    {
        foreach (var (field, value, equal) in _terms)
        {
            var actual = fieldValue(field) ?? "";
            if (string.Equals(actual, value, StringComparison.Ordinal) != equal)
            {
                return false;
            }
        }

        return true;
    }

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, string, bool)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            string field;
            string value;
            bool equal;
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            if (notEqual > 0)
            {
                (field, value, equal) = (term[..notEqual], term[(notEqual + 2)..], false);
            }
            else
            {
                var eq = term.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw ApiErrors.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
                }

                var skip = eq + 1 < term.Length && term[eq + 1] == '=' ? 2 : 1;
                (field, value, equal) = (term[..eq], term[(eq + skip)..], true);
            }

            field = field.Trim();
            if (field is not ("metadata.name" or "metadata.namespace") && !type.SelectableFields.Contains(field))
            {
                throw ApiErrors.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, value.Trim(), equal));
        }

        return new FieldSelector(terms);
    }
}
