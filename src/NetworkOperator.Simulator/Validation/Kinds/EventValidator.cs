using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>
/// core/v1 Events get only the legacy checks on the real server (no name syntax): the involved object's namespace
/// against the Event's, and for Events with an eventTime the reporting fields.
/// </summary>
internal sealed class EventValidator : KindValidator
{
    public override string Group => "";

    public override string Kind => "Event";

    public override bool ValidatesMetadata => false;

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var ns = Str(Obj(obj, "metadata"), "namespace");
        var involvedNamespace = Str(Obj(obj, "involvedObject"), "namespace");
        var involvedPath = FieldPath.Root("involvedObject").Child("namespace");
        if (Str(obj, "eventTime").Length == 0)
        {
            if (involvedNamespace.Length == 0 ? ns is not ("" or "default") : ns != involvedNamespace)
            {
                errors.Invalid(involvedPath, involvedNamespace, "does not match event.namespace");
            }
        }
        else
        {
            if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
            {
                errors.Invalid(involvedPath, involvedNamespace, "does not match event.namespace");
            }

            var controller = Str(obj, "reportingComponent");
            if (controller.Length == 0)
            {
                errors.Required(FieldPath.Root("source"));
            }

            errors.AddMessages(FieldPath.Root("source"), controller, NameRules.QualifiedName(controller));
            if (Str(obj, "reportingInstance").Length == 0)
            {
                errors.Required(FieldPath.Root("reportingInstance"));
            }

            if (Str(obj, "action").Length == 0)
            {
                errors.Required(FieldPath.Root("action"));
            }

            if (Str(obj, "reason").Length == 0)
            {
                errors.Required(FieldPath.Root("reason"));
            }
        }

        errors.AddMessages(FieldPath.Root("namespace"), ns, NameRules.Dns1123Subdomain(ns));
    }
}
