using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// One property per value-type shape found in the Kubernetes models and our kinds. The native (Native AOT) binary
/// serializes those models by reflection, but reflection cannot create a generic converter over a value type
/// (<c>int?</c>, <c>IList&lt;long?&gt;</c>, <c>Dictionary&lt;string, JsonElement&gt;</c>, an enum) at run time:
/// generating metadata for this holder compiles each of them ahead of time, and the reflection-based resolver then
/// finds them for every model property of that shape. Far smaller than generated metadata for the model graphs
/// themselves. A test fails when a model gains a shape that is missing here.
/// </summary>
public sealed class JsonValueShapes
{
    public bool Flag { get; set; }

    public bool? NullableBool { get; set; }

    public int Count { get; set; }

    public int? NullableInt { get; set; }

    public long Total { get; set; }

    public long? NullableLong { get; set; }

    public double? NullableDouble { get; set; }

    public DateTime DateTime { get; set; }

    public DateTime? NullableDateTime { get; set; }

    public DateTimeOffset DateTimeOffset { get; set; }

    public TimeSpan TimeSpan { get; set; }

    public TimeSpan? NullableTimeSpan { get; set; }

    public JsonElement JsonElement { get; set; }

    public IList<int>? IntList { get; set; }

    public IList<bool?>? NullableBoolList { get; set; }

    public IList<int?>? NullableIntList { get; set; }

    public IList<long?>? NullableLongList { get; set; }

    public IDictionary<string, DateTime?>? NullableDateTimeMap { get; set; }

    public Dictionary<string, int>? IntDictionary { get; set; }

    public IReadOnlyDictionary<string, int>? ReadOnlyIntDictionary { get; set; }

    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public WatchEventType WatchEventType { get; set; }

    public V1Patch.PatchType PatchType { get; set; }

    public ResourceQuantity.SuffixFormat SuffixFormat { get; set; }
}

/// <summary>Generated metadata for <see cref="JsonValueShapes"/>; first in the resolver chains that serialize models.</summary>
[JsonSerializable(typeof(JsonValueShapes))]
public sealed partial class JsonValueShapesContext : JsonSerializerContext;
