using NetworkOperator.Api;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>No other objects: only single-object rules run.</summary>
public sealed class NoAdmissionContext : IAdmissionContextProvider
{
    public static NoAdmissionContext Instance { get; } = new();

    public Task<ValidationContext> GetAsync(ResourceKind kind, CancellationToken cancellationToken) => Task.FromResult(ValidationContext.None);
}
