using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.Admission.Quota;

/// <summary>
/// A corev1.ResourceList for quota arithmetic: named quantities with Go's Add (a zero takes the other's format, so
/// 0 + 1Gi prints 1Gi) and the sorted <c>name=value,...</c> text quota messages print.
/// </summary>
internal sealed class ResourceList : SortedDictionary<string, Quantity>
{
    public ResourceList()
        : base(StringComparer.Ordinal)
    {
    }

    public static ResourceList From(JsonObject? list)
    {
        var result = new ResourceList();
        foreach (var (name, value) in list ?? [])
        {
            if (value is not null && Quantity.TryParse(GoValue.Text(value)) is { } quantity)
            {
                result[name] = quantity;
            }
        }

        return result;
    }

    public static Quantity Sum(Quantity a, Quantity b) => new(a.Value + b.Value, a.Value == 0 ? b.Format : a.Format);

    public void Add(ResourceList other)
    {
        foreach (var (name, quantity) in other)
        {
            this[name] = TryGetValue(name, out var existing) ? Sum(existing, quantity) : quantity;
        }
    }

    /// <summary>Per name, the larger of the two (the init-container rule of pod requests).</summary>
    public void Max(ResourceList other)
    {
        foreach (var (name, quantity) in other)
        {
            if (!TryGetValue(name, out var existing) || quantity.Value > existing.Value)
            {
                this[name] = quantity;
            }
        }
    }

    public ResourceList Mask(IEnumerable<string> names)
    {
        var result = new ResourceList();
        foreach (var name in names)
        {
            if (TryGetValue(name, out var quantity))
            {
                result[name] = quantity;
            }
        }

        return result;
    }

    public ResourceList WithoutZeros()
    {
        var result = new ResourceList();
        foreach (var (name, quantity) in this.Where(kv => kv.Value.Value != 0))
        {
            result[name] = quantity;
        }

        return result;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (name, quantity) in this)
        {
            json[name] = quantity.ToString();
        }

        return json;
    }

    public override string ToString() => string.Join(",", this.Select(kv => $"{kv.Key}={kv.Value}"));
}
