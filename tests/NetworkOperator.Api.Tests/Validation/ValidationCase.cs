using k8s.Models;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Api.Tests.Validation;

/// <summary>
/// Runs a table case: the first YAML document is the object under test, the rest (policies, nodes) form the
/// cross-object context.
/// </summary>
internal static class ValidationCase
{
    private static readonly ManifestReader Reader = new();

    public static ValidationResult Run(string yaml)
    {
        var objects = Reader.ReadText(yaml, "case.yaml").GetObjectsOrThrow().Select(o => o.Value).ToList();
        var context = new ValidationContext
        {
            ClusterPolicies = objects.Skip(1).OfType<NicClusterPolicy>().ToList(),
            NodePolicies = objects.Skip(1).OfType<NicNodePolicy>().ToList(),
            Nodes = objects.OfType<V1Node>().ToList(),
        };
        return ObjectValidator.Validate(objects[0], context);
    }

    public static void AssertOutcome(string yaml, string? field, ValidationErrorType? type)
    {
        var result = Run(yaml);
        if (field is null)
        {
            Assert.True(result.IsValid, "expected no errors, got: " + result);
            return;
        }

        Assert.True(
            result.Errors.Any(e => e.Field == field && e.Type == type),
            $"expected {type} at {field}, got: {(result.IsValid ? "no errors" : result.ToString())}");
    }
}
