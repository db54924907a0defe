using System.Runtime.CompilerServices;
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
    // The verdict per cached object: the informers hand out one instance per object version and never edit it, and a
    // policy is reconciled many times per version while its DaemonSets roll out (the reflective schema walk was ~4% of
    // the operator's CPU through a driver upgrade).
    private static readonly ConditionalWeakTable<object, Verdict> Verdicts = new();

    private sealed record Verdict(string? Problems);

    /// <summary>A status message listing the errors with their field paths, or null when the object is valid.</summary>
    public static string? Problems(object resource) => Verdicts.GetValue(resource, static r => new Verdict(Validate(r))).Problems;

    private static string? Validate(object resource)
    {
        var result = ObjectValidator.Validate(resource);
        return result.IsValid ? null : StatusMessages.Bound("invalid spec: " + string.Join("; ", result.Errors.Select(e => e.ToString())));
    }
}
