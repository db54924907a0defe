using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Controllers.Policies;

/// <summary>What one state reported in one reconcile: <c>ready</c>, <c>notReady</c>, <c>ignore</c> or <c>error</c>, plus why.</summary>
public sealed record StateResult(string Name, string State, string Message = "")
{
    public static StateResult Ready(string name) => new(name, SyncStates.Ready);

    public static StateResult Ignore(string name, string message = "") => new(name, SyncStates.Ignore, message);

    public static StateResult NotReady(string name, string message) => new(name, SyncStates.NotReady, StatusMessages.Bound(message));

    public static StateResult Error(string name, string message) => new(name, SyncStates.Error, StatusMessages.Bound(message));

    public bool IsReady => State == SyncStates.Ready;
}
