namespace NetworkOperator.Api.V1Alpha1;

/// <summary>Values of <c>status.state</c> and <c>appliedStates[].state</c>.</summary>
public static class SyncStates
{
    public const string Ready = "ready";
    public const string NotReady = "notReady";
    public const string Ignore = "ignore";
    public const string Error = "error";

    public static readonly IReadOnlyList<string> PolicyValues = [Ready, NotReady, Ignore, Error];

    /// <summary>Network kinds never report <c>ignore</c>.</summary>
    public static readonly IReadOnlyList<string> NetworkValues = [NotReady, Ready, Error];
}
