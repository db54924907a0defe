using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Admission;

/// <summary>Pruning and defaulting of custom objects by their CRD schema (runs with the mutating steps).</summary>
internal sealed class CustomResourceDefaulting : IAdmissionStep
{
    public bool IsMutating => true;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (!context.Type.IsCustom || context.Type.Schema is not { } schema || context.Operation == "DELETE")
        {
            return ValueTask.CompletedTask;
        }

        var unknown = StructuralSchema.Prune(context.Object, schema);
        if (unknown.Count > 0 && string.Equals(context.Options.FieldValidation, "Strict", StringComparison.Ordinal))
        {
            var fields = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw ApiErrors.BadRequest($"strict decoding error: {fields}");
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
