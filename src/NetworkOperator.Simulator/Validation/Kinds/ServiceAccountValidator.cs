using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class ServiceAccountValidator : KindValidator
{
    public override string Group => "";

    public override string Kind => "ServiceAccount";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        foreach (var (index, secret) in Items(obj, "imagePullSecrets"))
        {
            var name = Str(secret, "name");
            errors.AddMessages(FieldPath.Root("imagePullSecrets").Index(index).Child("name"), name, NameRules.Dns1123Subdomain(name));
        }
    }
}
