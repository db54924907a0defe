namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// A parsed label selector in the API server's string syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>,
/// <c>!a</c>, <c>a in (x,y)</c>, <c>a notin (x,y)</c>, comma-separated and all required.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements, string text)
    {
        _requirements = requirements;
        Text = text;
    }

    public static LabelSelector Everything { get; } = new([], string.Empty);

    public string Text { get; }

    /// <summary>Label pairs every match must carry (usable to narrow a lookup through the label index).</summary>
    public IEnumerable<KeyValuePair<string, string>> RequiredPairs =>
        _requirements.Where(r => r.Op == Operator.Equals).Select(r => new KeyValuePair<string, string>(r.Key, r.Values[0]));

    public static LabelSelector FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var requirements = labels.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new Requirement(p.Key, Operator.Equals, [p.Value])).ToList();
        return new LabelSelector(requirements, string.Join(',', labels.Select(p => $"{p.Key}={p.Value}")));
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }

        return new LabelSelector(requirements, text);
    }

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(requirement.Key, out value);
            var ok = requirement.Op switch
            {
                Operator.Equals => has && value == requirement.Values[0],
                Operator.NotEquals => !has || value != requirement.Values[0],
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.In => has && requirement.Values.Contains(value!),
                Operator.NotIn => !has || !requirement.Values.Contains(value!),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;

    // Commas separate terms except inside the parentheses of a set.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseTerm(string term, string text)
    {
        if (term.Length == 0)
        {
            throw new FormatException($"Empty term in label selector \"{text}\".");
        }

        var words = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && (words[1].StartsWith("in ", StringComparison.Ordinal) || words[1].StartsWith("in(", StringComparison.Ordinal)
            || words[1].StartsWith("notin", StringComparison.Ordinal)))
        {
            var notIn = words[1].StartsWith("notin", StringComparison.Ordinal);
            var set = words[1][(notIn ? 5 : 2)..].Trim();
            if (!set.StartsWith('(') || !set.EndsWith(')'))
            {
                throw new FormatException($"Expected a parenthesised set in label selector term \"{term}\".");
            }

            var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new Requirement(words[0], notIn ? Operator.NotIn : Operator.In, values);
        }

        var notEquals = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            return new Requirement(term[..notEquals].Trim(), Operator.NotEquals, [term[(notEquals + 2)..].Trim()]);
        }

        var equals = term.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            var valueStart = equals + 1 < term.Length && term[equals + 1] == '=' ? equals + 2 : equals + 1;
            return new Requirement(term[..equals].Trim(), Operator.Equals, [term[valueStart..].Trim()]);
        }

        if (term.StartsWith('!'))
        {
            return new Requirement(term[1..].Trim(), Operator.DoesNotExist, []);
        }

        return new Requirement(term, Operator.Exists, []);
    }

    private enum Operator
    {
        Equals,
        NotEquals,
        Exists,
        DoesNotExist,
        In,
        NotIn,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values);
}
