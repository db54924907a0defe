using System.Globalization;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Checks a label selector in the API server's string syntax (<c>app=x,tier!=db,env in (a,b),!canary,release</c>),
/// with the same tokens and rules as apimachinery's <c>labels.Parse</c>: keys are qualified names, values label values,
/// <c>in</c>/<c>notin</c> take a non-empty parenthesised set, <c>&gt;</c>/<c>&lt;</c> an integer.
/// </summary>
public static class LabelSelectorSyntax
{
    /// <summary>Why <paramref name="selector"/> does not parse, or null when it does (empty selects everything).</summary>
    public static string? Problem(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return null;
        }

        List<Token> tokens;
        try
        {
            tokens = Lex(selector);
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }

        var position = 0;
        while (true)
        {
            if (RequirementProblem(tokens, ref position) is { } problem)
            {
                return problem;
            }

            var next = tokens[position];
            if (next.Kind == TokenKind.End)
            {
                return null;
            }

            if (next.Kind != TokenKind.Comma)
            {
                return $"found '{next.Text}', expected: ',' or end of string";
            }

            position++;
            if (tokens[position].Kind == TokenKind.End)
            {
                return "found end of string, expected: identifier or '!'";
            }
        }
    }

    private static string? RequirementProblem(List<Token> tokens, ref int position)
    {
        var token = tokens[position];
        var negated = token.Kind == TokenKind.Not;
        if (negated)
        {
            token = tokens[++position];
        }

        if (token.Kind != TokenKind.Identifier)
        {
            return $"found '{Show(token)}', expected: {(negated ? "identifier after '!'" : "identifier or '!'")}";
        }

        if (KubernetesNames.QualifiedNameProblem(token.Text) is { } keyProblem)
        {
            return $"invalid label key \"{token.Text}\": {keyProblem}";
        }

        position++;
        var op = tokens[position];
        if (negated || op.Kind is TokenKind.Comma or TokenKind.End)
        {
            return null;
        }

        position++;
        switch (op.Kind)
        {
            case TokenKind.Equals or TokenKind.DoubleEquals or TokenKind.NotEquals:
                return SingleValueProblem(tokens, ref position, integer: false);
            case TokenKind.Greater or TokenKind.Less:
                return SingleValueProblem(tokens, ref position, integer: true);
            case TokenKind.In or TokenKind.NotIn:
                return SetProblem(tokens, ref position, op.Text);
            default:
                return $"found '{Show(op)}', expected: '=', '!=', '==', 'in', 'notin', '>' or '<'";
        }
    }

    private static string? SingleValueProblem(List<Token> tokens, ref int position, bool integer)
    {
        var value = tokens[position];
        if (value.Kind is TokenKind.Comma or TokenKind.End)
        {
            // "key=" selects an empty value; ">" and "<" need a number.
            return integer ? "found end of value, expected: an integer" : null;
        }

        if (value.Kind is not (TokenKind.Identifier or TokenKind.In or TokenKind.NotIn))
        {
            return $"found '{Show(value)}', expected: a label value";
        }

        position++;
        if (integer)
        {
            return long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? null
                : $"for '>' and '<' the value must be an integer, got \"{value.Text}\"";
        }

        return KubernetesNames.LabelValueProblem(value.Text) is { } problem ? $"invalid label value \"{value.Text}\": {problem}" : null;
    }

    private static string? SetProblem(List<Token> tokens, ref int position, string op)
    {
        if (tokens[position].Kind != TokenKind.OpenParen)
        {
            return $"found '{Show(tokens[position])}', expected: '(' after '{op}'";
        }

        position++;
        var count = 0;
        while (true)
        {
            var token = tokens[position];
            if (token.Kind == TokenKind.CloseParen && count == 0)
            {
                return $"for '{op}' the set of values must not be empty";
            }

            if (token.Kind is TokenKind.Identifier or TokenKind.In or TokenKind.NotIn)
            {
                if (KubernetesNames.LabelValueProblem(token.Text) is { } problem)
                {
                    return $"invalid label value \"{token.Text}\": {problem}";
                }

                position++;
                token = tokens[position];
            }

            // An empty element ("(a,,b)" or "(a,)") is the empty label value, as apimachinery reads it.
            count++;
            if (token.Kind == TokenKind.CloseParen)
            {
                position++;
                return null;
            }

            if (token.Kind != TokenKind.Comma)
            {
                return $"found '{Show(token)}', expected: ',' or ')'";
            }

            position++;
        }
    }

    private static string Show(Token token) => token.Kind == TokenKind.End ? "end of string" : token.Text;

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            switch (c)
            {
                case '(':
                    tokens.Add(new(TokenKind.OpenParen, "("));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new(TokenKind.CloseParen, ")"));
                    i++;
                    continue;
                case ',':
                    tokens.Add(new(TokenKind.Comma, ","));
                    i++;
                    continue;
                case '>':
                    tokens.Add(new(TokenKind.Greater, ">"));
                    i++;
                    continue;
                case '<':
                    tokens.Add(new(TokenKind.Less, "<"));
                    i++;
                    continue;
                case '=':
                    var doubled = i + 1 < text.Length && text[i + 1] == '=';
                    tokens.Add(doubled ? new(TokenKind.DoubleEquals, "==") : new(TokenKind.Equals, "="));
                    i += doubled ? 2 : 1;
                    continue;
                case '!':
                    var notEquals = i + 1 < text.Length && text[i + 1] == '=';
                    tokens.Add(notEquals ? new(TokenKind.NotEquals, "!=") : new(TokenKind.Not, "!"));
                    i += notEquals ? 2 : 1;
                    continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '>' or '<' or '=' or '!'))
            {
                i++;
            }

            var word = text[start..i];
            tokens.Add(word switch
            {
                "in" => new(TokenKind.In, word),
                "notin" => new(TokenKind.NotIn, word),
                _ => new(TokenKind.Identifier, word),
            });
        }

        tokens.Add(new(TokenKind.End, string.Empty));
        return tokens;
    }

    private enum TokenKind
    {
        Identifier,
        In,
        NotIn,
        Not,
        Equals,
        DoubleEquals,
        NotEquals,
        Greater,
        Less,
        OpenParen,
        CloseParen,
        Comma,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text);
}
