namespace NetworkOperator.Cli.Doctor;

/// <summary>
/// One reason something is not ready: the cause (a stable identifier, <see cref="DoctorCauses"/>), the object it is
/// about, the component state and nodes involved, what was seen, and what to do. <see cref="Rank"/> orders findings so
/// that a cause comes before what it causes (a missing NFD label before the driver that cannot be placed).
/// </summary>
internal sealed record Finding(string Cause, string Severity, string Object, string Message, string Fix)
{
    public const string Error = "error";
    public const string Warning = "warning";

    public int Rank { get; init; }

    /// <summary>The component state (for example <c>state-OFED</c>), when the finding is about one.</summary>
    public string? Component { get; init; }

    public IReadOnlyList<string> Nodes { get; init; } = [];
}
