using NetworkOperator.Api.Validation;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// The reconcilers' admission check: the same rule set as the webhook, <c>validate</c> and <c>render</c>, run on the
/// object as stored. Objects can reach the store without the webhook (webhook disabled, SKIP_VALIDATIONS, created
/// before it was installed, or objects of this Helm release, which the webhook skips); such an object gets an error
/// status naming the field and nothing is applied for it, instead of a partial rollout that fails component by component.
/// </summary>
public static class SpecValidation
{
    /// <summary>A status message listing the errors with their field paths, or null when the object is valid.</summary>
    public static string? Problems(object resource)
    {
        var result = ObjectValidator.Validate(resource);
        return result.IsValid ? null : StatusMessages.Bound("invalid spec: " + string.Join("; ", result.Errors.Select(e => e.ToString())));
    }
}
