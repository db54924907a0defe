using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Admission;

/// <summary>One write as admission sees it. Mutating steps may change <see cref="Object"/>; validating ones throw.</summary>
public sealed class AdmissionContext
{
    public required ResourceType Type { get; init; }

    /// <summary>CREATE, UPDATE or DELETE, as in AdmissionReview.</summary>
    public required string Operation { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string? Subresource { get; init; }

    public required JsonObject Object { get; init; }

    public JsonObject? OldObject { get; init; }

    public WriteOptions Options { get; init; } = WriteOptions.Default;

    public bool DryRun => Options.DryRun;
}

/// <summary>A step of the write path between decoding and storage: defaulting, schema validation, webhooks.</summary>
public interface IAdmissionStep
{
    /// <summary>Mutating steps run before validating ones.</summary>
    bool IsMutating { get; }

    ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken);
}
