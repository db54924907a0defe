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

    /// <summary>
    /// On a create whose name the server generates, the <c>generateName</c> it came from. The real server generates the
    /// name after mutating admission, so a mutating plugin's refusal names the prefix (<c>pods "agent-" is
    /// forbidden</c>) where a validating one names the pod.
    /// </summary>
    public string? GeneratedFrom { get; init; }

    /// <summary>The name a refusal in the mutating phase carries (see <see cref="GeneratedFrom"/>).</summary>
    public string MutatingPhaseName => GeneratedFrom ?? Name;

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
