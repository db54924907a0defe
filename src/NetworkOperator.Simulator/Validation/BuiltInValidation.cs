using System.Collections.Frozen;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Validation.Kinds;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// The registry strategies' validation of the real server, run after defaulting and before validating webhooks:
/// every field error of the object at once, as one 422 Invalid. Kinds without a validator of their own, and custom
/// resources, get the object metadata checks every kind has.
/// </summary>
internal sealed class BuiltInValidation : IAdmissionStep
{
    private static readonly FrozenDictionary<(string Group, string Kind), KindValidator> Validators = new KindValidator[]
    {
        new NamespaceValidator(), new NodeValidator(), new PodValidator(), new ServiceAccountValidator(), new ConfigMapValidator(),
        new SecretValidator(), new ServiceValidator(), new EventValidator(), new DaemonSetValidator(), new DeploymentValidator(),
        new ReplicaSetValidator(), new JobValidator(), new RoleValidator(), new ClusterRoleValidator(), new RoleBindingValidator(),
        new ClusterRoleBindingValidator(), new WebhookConfigurationValidator("ValidatingWebhookConfiguration"),
        new WebhookConfigurationValidator("MutatingWebhookConfiguration"), new LeaseValidator(), new PodDisruptionBudgetValidator(), new ResourceQuotaValidator(),
        new LimitRangeValidator(),
    }.ToFrozenDictionary(v => (v.Group, v.Kind));

    public bool IsMutating => false;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (context.Operation is not ("CREATE" or "UPDATE"))
        {
            return ValueTask.CompletedTask;
        }

        var errors = Validate(context.Type.Group, context.Type.Kind, context.Type.IsCustom, context.Object,
            context.Operation == "UPDATE" ? context.OldObject : null, context.Subresource);
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(context.Type, context.Name, errors.Select(e => e.ToCause()).ToList());
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The field errors of one write: the whole object on create and main-resource updates, metadata on subresource writes.</summary>
    public static FieldErrors Validate(string group, string kind, bool isCustom, JsonObject obj, JsonObject? old, string? subresource)
    {
        var errors = new FieldErrors();
        if (isCustom || !Validators.TryGetValue((group, kind), out var validator))
        {
            MetadataValidation.ValidateObjectMeta(errors, obj, DefaultNameRule(group, kind, isCustom));
            ValidateUid(errors, obj, old);
            return errors;
        }

        if (validator.ValidatesMetadata)
        {
            MetadataValidation.ValidateObjectMeta(errors, obj, validator.NameRule);
        }

        ValidateUid(errors, obj, old);

        // A Scale write goes through the parent's own update validation (the registries' ScaleREST uses the main store).
        if (subresource is not (null or "scale"))
        {
            return errors;
        }

        validator.Validate(errors, obj);
        if (old is not null)
        {
            validator.ValidateUpdate(errors, obj, old);
        }

        // Metadata of kinds that skip it in their own validation still gets the generic check afterwards.
        if (!validator.ValidatesMetadata && errors.Count == 0)
        {
            MetadataValidation.ValidateObjectMeta(errors, obj, NameRule.PathSegment);
        }

        return errors;
    }

    /// <summary>
    /// The one immutable metadata field an update can still carry a change of (the handler checks name and namespace,
    /// the store restores the timestamps and generation): every kind's update validation refuses a new UID.
    /// </summary>
    private static void ValidateUid(FieldErrors errors, JsonObject obj, JsonObject? old)
    {
        if (old is not null)
        {
            MetadataValidation.ValidateImmutable(errors, obj.Metadata()["uid"], old.Metadata()["uid"], FieldPath.Root("metadata").Child("uid"));
        }
    }

    private static NameRule DefaultNameRule(string group, string kind, bool isCustom) => (group, kind) switch
    {
        _ when isCustom => NameRule.Dns1123Subdomain,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => NameRule.PathSegment,
        ("rbac.authorization.k8s.io", _) => NameRule.PathSegment,
        _ => NameRule.Dns1123Subdomain,
    };
}
