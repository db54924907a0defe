using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class SecretValidator : KindValidator
{
    public override string Group => "";

    public override string Kind => "Secret";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var data = Obj(obj, "data");
        var dataPath = FieldPath.Root("data");
        long total = 0;
        foreach (var (key, value) in data ?? [])
        {
            errors.AddMessages(dataPath.Key(key), key, NameRules.ConfigMapKey(key));
            total += Base64.DecodedLength(GoValue.Text(value));
        }

        if (total > ConfigMapValidator.MaxSize)
        {
            errors.TooLong(dataPath, ConfigMapValidator.MaxSize);
        }

        switch (Str(obj, "type"))
        {
            case "kubernetes.io/service-account-token":
                if (Str(Obj(Obj(obj, "metadata"), "annotations"), "kubernetes.io/service-account.name").Length == 0)
                {
                    errors.Required(FieldPath.Root("metadata").Child("annotations").Key("kubernetes.io/service-account.name"));
                }

                break;
            case "kubernetes.io/dockercfg":
                RequireKey(errors, data, dataPath, ".dockercfg");
                break;
            case "kubernetes.io/dockerconfigjson":
                RequireKey(errors, data, dataPath, ".dockerconfigjson");
                break;
            case "kubernetes.io/basic-auth":
                if (!Has(data, "username") && !Has(data, "password"))
                {
                    errors.Required(dataPath.Key("username"));
                    errors.Required(dataPath.Key("password"));
                }

                break;
            case "kubernetes.io/ssh-auth":
                RequireKey(errors, data, dataPath, "ssh-privatekey");
                break;
            case "kubernetes.io/tls":
                RequireKey(errors, data, dataPath, "tls.crt");
                RequireKey(errors, data, dataPath, "tls.key");
                break;
        }
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old)
    {
        if (Str(obj, "type") != Str(old, "type"))
        {
            errors.Invalid(FieldPath.Root("type"), Str(obj, "type"), "field is immutable");
        }

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
        }
    }

    private static void RequireKey(FieldErrors errors, JsonObject? data, FieldPath dataPath, string key)
    {
        if (!Has(data, key))
        {
            errors.Required(dataPath.Key(key));
        }
    }
}
