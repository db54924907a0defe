using NetworkOperator.Api;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>
/// Supplies the other objects the cross-object rules need (policies, nodes). Injected so the admission handler stays a
/// pure function of its input; the operator passes one backed by the API server or its informer cache.
/// </summary>
public interface IAdmissionContextProvider
{
    /// <summary>The context for validating an object of <paramref name="kind"/>. May throw; the handler then skips cross-object rules.</summary>
    Task<ValidationContext> GetAsync(ResourceKind kind, CancellationToken cancellationToken);
}
