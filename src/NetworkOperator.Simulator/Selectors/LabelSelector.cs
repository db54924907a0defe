using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Selectors;

/// <summary>A parsed label selector in the string form of list and watch calls (equality and set-based).</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var term = part.Trim();
            if (term.Length == 0)
            {
                throw Invalid(text, "empty requirement");
            }

            requirements.Add(ParseRequirement(term, text));
        }

        return new LabelSelector(requirements);
    }

    private static Requirement ParseRequirement(string term, string whole)
    {
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            ValidateKey(key, whole);
            return new Requirement(key, Operator.DoesNotExist, NoValues);
        }

        var setMatch = FindSetOperator(term);
        if (setMatch is { } set)
        {
            var key = term[..set.Index].Trim();
            ValidateKey(key, whole);
            var rest = term[(set.Index + set.Word.Length)..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw Invalid(whole, $"expected '(' after '{set.Word.Trim()}'");
            }

            var values = rest[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
            return new Requirement(key, set.Word.Trim() == "in" ? Operator.In : Operator.NotIn, values);
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var index = term.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = term[..index].Trim();
                ValidateKey(key, whole);
                var value = term[(index + token.Length)..].Trim();
                return new Requirement(key, op, new HashSet<string>(StringComparer.Ordinal) { value });
            }
        }

        ValidateKey(term, whole);
        return new Requirement(term, Operator.Exists, NoValues);
    }

    private static (int Index, string Word)? FindSetOperator(string term)
    {
        foreach (var word in new[] { " notin ", " in " })
        {
            var index = term.IndexOf(word, StringComparison.Ordinal);
            if (index > 0)
            {
                return (index, word);
            }
        }

        foreach (var word in new[] { " notin(", " in(" })
        {
            var index = term.IndexOf(word, StringComparison.Ordinal);
            if (index > 0)
            {
                return (index, word[..^1]);
            }
        }

        return null;
    }

    private static void ValidateKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!'))
        {
            throw Invalid(whole, $"invalid label key \"{key}\"");
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
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

    private static readonly IReadOnlySet<string> NoValues = new HashSet<string>();

    private static ApiException Invalid(string text, string why) =>
        ApiErrors.BadRequest($"unable to parse requirement: {why} (selector \"{text}\")");

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlySet<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                _ => false,
            };
        }
    }
}
