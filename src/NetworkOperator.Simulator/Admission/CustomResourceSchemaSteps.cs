using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Admission;

/// <summary>
/// Defaulting of custom objects by their CRD schema (runs with the mutating steps); unknown fields were pruned when
/// the request was decoded (<see cref="ApiServer.UnknownFields"/>).
/// </summary>
internal sealed class CustomResourceDefaulting : IAdmissionStep
{
    public bool IsMutating => true;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (!context.Type.IsCustom || context.Type.Schema is not { } schema || context.Operation == "DELETE")
        {
            return ValueTask.CompletedTask;
        }

        StructuralSchema.ApplyDefaults(context.Object, schema);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Validation of custom objects against their CRD's structural schema: 422 Invalid with field paths.</summary>
internal sealed class CustomResourceValidation : IAdmissionStep
{
    public bool IsMutating => false;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (!context.Type.IsCustom || context.Type.Schema is not { } schema || context.Operation == "DELETE")
        {
            return ValueTask.CompletedTask;
        }

        var causes = StructuralSchema.Validate(context.Object, schema);
        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(context.Type, context.Name, causes);
        }

        return ValueTask.CompletedTask;
    }
}
