namespace NetworkOperator.Simulator.Cluster;

/// <summary>
/// Makes matching containers crash: they go to CrashLoopBackOff with a growing restartCount and never become Ready.
/// A rule matches a container when every given criterion holds: <see cref="Image"/> is a substring of the container's
/// image (so <c>doca-driver</c> or a full reference both work), <see cref="Node"/> equals the pod's node.
/// </summary>
public sealed record FailureOverride(string? Image = null, string? Node = null)
{
    public string ExitReason { get; init; } = "Error";

    public int ExitCode { get; init; } = 1;

    public bool Matches(string? image, string? node) =>
        (Image is null || (image is not null && image.Contains(Image, StringComparison.Ordinal))) &&
        (Node is null || Node == node);
}
