namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Workload pods a node waits for before its drain; <see cref="Timeout"/> zero waits forever.</summary>
public sealed record WaitForCompletionOptions(string PodSelector, TimeSpan Timeout);
