using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>The rule and subject checks the four RBAC kinds share.</summary>
internal static class PolicyRules
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public static void ValidateRules(FieldErrors errors, JsonObject obj, bool namespaced)
    {
        foreach (var (index, rule) in Items(obj, "rules"))
        {
            var path = FieldPath.Root("rules").Index(index);
            if (Arr(rule, "verbs").Count == 0)
            {
                errors.Required(path.Child("verbs"), "verbs must contain at least one value");
            }

            var urls = Arr(rule, "nonResourceURLs");
            if (urls.Count > 0)
            {
                if (namespaced)
                {
                    errors.InvalidPrinted(path.Child("nonResourceURLs"), GoValue.StringList(urls), "namespaced rules cannot apply to non-resource URLs");
                }

                if (Arr(rule, "apiGroups").Count > 0 || Arr(rule, "resources").Count > 0 || Arr(rule, "resourceNames").Count > 0)
                {
                    errors.InvalidPrinted(path.Child("nonResourceURLs"), GoValue.StringList(urls),
                        "rules cannot apply to both regular resources and non-resource URLs");
                }

                continue;
            }

            if (Arr(rule, "apiGroups").Count == 0)
            {
                errors.Required(path.Child("apiGroups"), "resource rules must supply at least one api group");
            }

            if (Arr(rule, "resources").Count == 0)
            {
                errors.Required(path.Child("resources"), "resource rules must supply at least one resource");
            }
        }
    }

    public static void ValidateBinding(FieldErrors errors, JsonObject obj, bool namespaced)
    {
        var roleRef = Obj(obj, "roleRef");
        var refPath = FieldPath.Root("roleRef");
        var apiGroup = Str(roleRef, "apiGroup");
        if (apiGroup != RbacGroup)
        {
            errors.NotSupported(refPath.Child("apiGroup"), apiGroup, RbacGroup);
        }

        var kind = Str(roleRef, "kind");
        if (namespaced ? kind is not ("Role" or "ClusterRole") : kind != "ClusterRole")
        {
            errors.NotSupported(refPath.Child("kind"), kind, namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]);
        }

        var name = Str(roleRef, "name");
        if (name.Length == 0)
        {
            errors.Required(refPath.Child("name"));
        }
        else
        {
            errors.AddMessages(refPath.Child("name"), name, NameRules.PathSegmentName(name, prefix: false));
        }

        foreach (var (index, subject) in Items(obj, "subjects"))
        {
            ValidateSubject(errors, subject, namespaced, FieldPath.Root("subjects").Index(index));
        }
    }

    public static void ValidateRoleRefUnchanged(FieldErrors errors, JsonObject obj, JsonObject old)
    {
        var roleRef = Obj(obj, "roleRef");
        if (!JsonNode.DeepEquals(roleRef, Obj(old, "roleRef")))
        {
            errors.InvalidPrinted(FieldPath.Root("roleRef"),
                $"rbac.RoleRef{{APIGroup:{GoValue.Quote(Str(roleRef, "apiGroup"))}, Kind:{GoValue.Quote(Str(roleRef, "kind"))}, Name:{GoValue.Quote(Str(roleRef, "name"))}}}",
                "cannot change roleRef");
        }
    }

    private static void ValidateSubject(FieldErrors errors, JsonObject subject, bool namespaced, FieldPath path)
    {
        var name = Str(subject, "name");
        if (name.Length == 0)
        {
            errors.Required(path.Child("name"));
        }

        var apiGroup = Str(subject, "apiGroup");
        switch (Str(subject, "kind"))
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    errors.AddMessages(path.Child("name"), name, NameRules.Dns1123Subdomain(name));
                }

                if (apiGroup.Length > 0)
                {
                    errors.NotSupported(path.Child("apiGroup"), apiGroup, "");
                }

                if (!namespaced && Str(subject, "namespace").Length == 0)
                {
                    errors.Required(path.Child("namespace"));
                }

                break;
            case "User" or "Group":
                if (apiGroup != RbacGroup)
                {
                    errors.NotSupported(path.Child("apiGroup"), apiGroup, RbacGroup);
                }

                break;
            case var other:
                errors.NotSupported(path.Child("kind"), other, "ServiceAccount", "User", "Group");
                break;
        }
    }
}
