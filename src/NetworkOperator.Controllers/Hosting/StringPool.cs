namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// One shared copy of each string that repeats across thousands of cached Nodes and Pods: label and annotation keys,
/// label values such as an OS version or a revision hash, owner kinds and names, image names. The JSON decoder
/// allocates a fresh copy of every string of every object, so at 10,000 nodes the same few dozen strings would be
/// held tens of thousands of times. Bounded: once it holds <see cref="Capacity"/> strings it hands back new ones
/// unpooled, so values unique to one object (host names, UIDs) cannot grow it without limit; strings longer than
/// <see cref="MaxLength"/> are never pooled (a large unique annotation would otherwise outlive its object).
/// </summary>
public sealed class StringPool
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public StringPool(int capacity = 16_384)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>The longest string pooled.</summary>
    public const int MaxLength = 256;

    /// <summary>The most distinct strings the pool keeps.</summary>
    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _strings.Count;
            }
        }
    }

    /// <summary>The pooled copy equal to <paramref name="value"/>; the value itself the first time, or once the pool is full.</summary>
    public string? Intern(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return value;
        }

        lock (_lock)
        {
            if (_strings.TryGetValue(value, out var pooled))
            {
                return pooled;
            }

            if (_strings.Count < Capacity)
            {
                _strings.Add(value);
            }

            return value;
        }
    }

    /// <summary>
    /// A copy of <paramref name="map"/> whose keys and values are pooled; a value equal to <paramref name="name"/> (the
    /// object's own name, as in a Node's host name label) shares that string instead. Null stays null.
    /// </summary>
    public Dictionary<string, string>? Intern(IDictionary<string, string>? map, string? name = null)
    {
        if (map is null)
        {
            return null;
        }

        var copy = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            copy[Intern(key)!] = name is not null && value == name ? name : Intern(value)!;
        }

        return copy;
    }
}
