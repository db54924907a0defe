using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Admission;

/// <summary>
/// CRD validation rules (x-kubernetes-validations) on create and update: 422 Invalid with the rule's field path.
/// A status-subresource write changes only status, so only rules under `status` apply; a main-resource write of a
/// kind with a status subresource cannot change status, so rules there are left out.
/// </summary>
internal sealed class CustomResourceCelValidation : IAdmissionStep
{
    public bool IsMutating => false;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (!context.Type.IsCustom || context.Type.Schema is not { } schema || context.Operation == "DELETE")
        {
            return ValueTask.CompletedTask;
        }

        var statusWrite = string.Equals(context.Subresource, "status", StringComparison.Ordinal);
        var skipStatus = context.Type.HasStatusSubresource && !statusWrite;
        var causes = CelRules.Validate(context.Object, context.OldObject, schema,
            field => statusWrite ? field == "status" : !(skipStatus && field == "status"));
        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(context.Type, context.Name, causes);
        }

        return ValueTask.CompletedTask;
    }
}
