using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class NodeValidator : KindValidator
{
    public override string Group => "";

    public override string Kind => "Node";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var path = FieldPath.Root("spec").Child("taints");
        var seen = new HashSet<(string Key, string Effect)>();
        foreach (var (index, taint) in Items(Obj(obj, "spec"), "taints"))
        {
            var itemPath = path.Index(index);
            var key = Str(taint, "key");
            var effect = Str(taint, "effect");
            MetadataValidation.ValidateLabelName(errors, key, itemPath.Child("key"));
            var value = Str(taint, "value");
            var messages = NameRules.LabelValue(value);
            if (messages.Count > 0)
            {
                errors.Invalid(itemPath.Child("value"), value, string.Join(";", messages));
            }

            SchedulingValidation.ValidateTaintEffect(errors, effect, allowEmpty: false, itemPath.Child("effect"));
            if (!seen.Add((key, effect)))
            {
                errors.DuplicatePrinted(itemPath,
                    $"core.Taint{{Key:{GoValue.Quote(key)}, Value:{GoValue.Quote(value)}, Effect:{GoValue.Quote(effect)}, TimeAdded:<nil>}}",
                    "taints must be unique by key and effect pair");
            }
        }
    }
}
