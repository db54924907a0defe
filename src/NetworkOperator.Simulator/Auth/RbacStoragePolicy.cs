using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// The escalation rules of the real server's RBAC storage on create and update: a Role or ClusterRole needs every
/// permission it grants to be held (cluster-wide for ClusterRoles, in the namespace for Roles) or the `escalate` verb;
/// setting an aggregationRule needs cluster-admin; a binding needs `bind` on the referenced role or every permission
/// in it. system:masters and in-process callers (no user) are exempt.
/// </summary>
internal sealed class RbacStoragePolicy(RbacAuthorizer authorizer) : IAdmissionStep
{
    private static readonly PolicyRule[] FullAuthority =
    [
        PolicyRule.For(["*"], ["*"], ["*"]),
        PolicyRule.ForUrls(["*"], ["*"]),
    ];

    public bool IsMutating => false;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (context.Type.Group != RbacIndex.Group || context.Operation is not ("CREATE" or "UPDATE")
            || context.Options.User is not { IsPrivileged: false } user)
        {
            return ValueTask.CompletedTask;
        }

        if (context.Operation == "UPDATE" && context.OldObject is { } old && OnlyGarbageCollectionFieldsChanged(context.Object, old))
        {
            return ValueTask.CompletedTask;
        }

        switch (context.Type.Kind)
        {
            case "ClusterRole":
            case "Role":
                CheckRole(context, user);
                break;
            case "ClusterRoleBinding":
            case "RoleBinding":
                CheckBinding(context, user);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private void CheckRole(AdmissionContext context, UserInfo user)
    {
        var ns = context.Type.Namespaced ? context.Namespace : "";
        var escalate = AuthorizationAttributes.ForResource(user, "escalate", RbacIndex.Group, context.Type.Plural, null, ns, context.Name);
        if (authorizer.Authorize(escalate).Allowed)
        {
            return;
        }

        if (EscalationCheck.Confirm(authorizer, user, ns, PolicyRule.ParseAll(context.Object["rules"])) is { } message)
        {
            throw Forbidden(context, message);
        }

        var aggregates = context.Object["aggregationRule"] is JsonObject || context.OldObject?["aggregationRule"] is JsonObject;
        if (context.Type.Kind == "ClusterRole" && aggregates && EscalationCheck.Confirm(authorizer, user, ns, FullAuthority) is not null)
        {
            throw Forbidden(context, "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private void CheckBinding(AdmissionContext context, UserInfo user)
    {
        var ns = context.Type.Namespaced ? context.Namespace : "";
        var roleRef = context.Object["roleRef"] as JsonObject;
        var kind = roleRef?.GetString("kind") ?? "";
        var name = roleRef?.GetString("name") ?? "";
        var resource = kind switch { "ClusterRole" => "clusterroles", "Role" => "roles", _ => null };
        if (resource is not null && authorizer.Authorize(AuthorizationAttributes.ForResource(
                user, "bind", roleRef?.GetString("apiGroup") ?? "", resource, null, ns, name)).Allowed)
        {
            return;
        }

        var (rules, error) = authorizer.RoleReferenceRules(kind, name, ns);
        if (rules is null)
        {
            throw resource is null
                ? ApiErrors.BadRequest(error!)
                : new ApiException(404, "NotFound", error!, name, RbacIndex.Group, kind.ToLowerInvariant());
        }

        if (EscalationCheck.Confirm(authorizer, user, ns, rules) is { } message)
        {
            throw Forbidden(context, message);
        }
    }

    private static ApiException Forbidden(AdmissionContext context, string message) =>
        ApiErrors.Forbidden(context.Type, context.Name, message);

    /// <summary>An update that only touches ownerReferences or finalizers (what garbage collection writes) is not checked.</summary>
    private static bool OnlyGarbageCollectionFieldsChanged(JsonObject updated, JsonObject old)
    {
        static JsonObject Strip(JsonObject obj)
        {
            var copy = obj.DeepClone().AsObject();
            if (copy["metadata"] is JsonObject metadata)
            {
                foreach (var field in new[] { "ownerReferences", "finalizers", "resourceVersion", "managedFields", "generation" })
                {
                    metadata.Remove(field);
                }
            }

            return copy;
        }

        return JsonNode.DeepEquals(Strip(updated), Strip(old));
    }
}
