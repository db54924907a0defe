using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class ConfigMapValidator : KindValidator
{
    /// <summary>The size limit of a ConfigMap's data and of a Secret's (1 MiB).</summary>
    public const long MaxSize = 1024 * 1024;

    public override string Group => "";

    public override string Kind => "ConfigMap";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var data = Obj(obj, "data");
        var binary = Obj(obj, "binaryData");
        long total = 0;
        foreach (var (key, value) in data ?? [])
        {
            var path = FieldPath.Root("data").Key(key);
            errors.AddMessages(path, key, NameRules.ConfigMapKey(key));
            if (binary?.ContainsKey(key) == true)
            {
                errors.Invalid(path, key, "duplicate of key present in binaryData");
            }

            total += System.Text.Encoding.UTF8.GetByteCount(GoValue.Text(value));
        }

        foreach (var (key, value) in binary ?? [])
        {
            var path = FieldPath.Root("binaryData").Key(key);
            errors.AddMessages(path, key, NameRules.ConfigMapKey(key));
            if (data?.ContainsKey(key) == true)
            {
                errors.Invalid(path, key, "duplicate of key present in data");
            }

            total += Base64.DecodedLength(GoValue.Text(value));
        }

        if (total > MaxSize)
        {
            errors.TooLong(FieldPath.Whole, MaxSize);
        }
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old)
    {
        if (old["immutable"] is JsonValue immutable && immutable.TryGetValue<bool>(out var wasImmutable) && wasImmutable)
        {
            if (obj["immutable"] is not JsonValue now || !now.TryGetValue<bool>(out var isImmutable) || !isImmutable)
            {
                errors.Forbidden(FieldPath.Root("immutable"), "field is immutable when `immutable` is set");
            }

            if (!JsonNode.DeepEquals(obj["data"], old["data"]))
            {
                errors.Forbidden(FieldPath.Root("data"), "field is immutable when `immutable` is set");
            }

            if (!JsonNode.DeepEquals(obj["binaryData"], old["binaryData"]))
            {
                errors.Forbidden(FieldPath.Root("binaryData"), "field is immutable when `immutable` is set");
            }
        }
    }
}
