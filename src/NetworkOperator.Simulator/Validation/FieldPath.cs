namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// A field path as the real server prints it in validation errors (<c>spec.containers[0].name</c>,
/// <c>data[key]</c>). Child paths are cheap links to their parent; the text is built only when an error needs it.
/// </summary>
internal sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string _name;
    private readonly string? _index;

    private FieldPath(FieldPath? parent, string name, string? index)
    {
        _parent = parent;
        _name = name;
        _index = index;
    }

    public static FieldPath Root(string name) => new(null, name, null);

    /// <summary>The path of the whole object ("[]" in messages, as the real server writes it).</summary>
    public static FieldPath Whole { get; } = new(null, "", "");

    public FieldPath Child(string name) => new(this, name, null);

    public FieldPath Child(string first, params string[] more)
    {
        var path = Child(first);
        foreach (var name in more)
        {
            path = path.Child(name);
        }

        return path;
    }

    public FieldPath Index(int index) => new(this, "", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public FieldPath Key(string key) => new(this, "", key);

    public override string ToString()
    {
        var elements = new Stack<FieldPath>();
        for (var p = this; p is not null; p = p._parent)
        {
            elements.Push(p);
        }

        var text = new System.Text.StringBuilder();
        foreach (var p in elements)
        {
            if (p._parent is not null && p._name.Length > 0)
            {
                text.Append('.');
            }

            if (p._name.Length > 0)
            {
                text.Append(p._name);
            }
            else
            {
                text.Append('[').Append(p._index).Append(']');
            }
        }

        return text.ToString();
    }
}
